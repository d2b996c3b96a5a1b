"""The client's settings are checked when it is made, and again by with_options."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify

BAD = [
    ("timeout", -1),
    ("timeout", 0),
    ("timeout", math.nan),
    ("timeout", math.inf),
    ("timeout", "5"),
    ("timeout", httpx.Timeout(5.0, connect=-1.0)),
    ("max_retries", -1),
    ("max_retries", 1.5),
    ("max_retries", "3"),
    ("max_retries", True),
    ("retry_deadline", -1),
    ("retry_deadline", 0),
    ("retry_deadline", math.nan),
    ("retry_deadline", "300"),
    ("resend_ambiguous", "no"),
    ("resend_ambiguous", 1),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_the_constructor_refuses_a_bad_setting(name: str, value: Any) -> None:
    """An ArgumentError naming the setting, before any connection exists."""
    with pytest.raises(ArgumentError) as caught:
        AsyncEasify("t", **{name: value})
    assert caught.value.argument == name


@pytest.mark.anyio
@pytest.mark.parametrize(("name", "value"), BAD)
async def test_with_options_refuses_the_same(name: str, value: Any) -> None:
    """The child is checked as the constructor checks; the parent is unchanged."""
    async with AsyncEasify("t", transport=httpx.MockTransport(httpx.Response)) as easify:
        with pytest.raises(ArgumentError) as caught:
            easify.with_options(**{name: value})
        assert caught.value.argument == name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timeout", 2.5),
        ("timeout", 1),
        ("timeout", httpx.Timeout(None, connect=5.0)),
        ("max_retries", 0),
        ("retry_deadline", 0.5),
        ("resend_ambiguous", True),
    ],
)
def test_good_settings_are_taken(name: str, value: Any) -> None:
    """Numbers in range, an httpx.Timeout with parts left unlimited, flags."""
    easify = AsyncEasify("t", **{name: value})
    assert getattr(easify._settings, name) == value
