"""VoiceCall keeps whatever the server adds; SubUser's token stays out of repr and logs."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import trio.testing
from hypothesis import given
from hypothesis import strategies as st

from easify_async import AsyncEasify, SubUser, VoiceCall
from easify_async._serde import structure

KNOWN = {"id", "from", "to", "status", "recording_url", "created_at"}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@given(
    call_id=st.text(min_size=1, max_size=10) | st.integers(),
    extra=st.dictionaries(st.text(max_size=12).filter(lambda k: k not in KNOWN), JSON),
)
def test_every_unknown_field_of_a_call_is_kept_in_extra(
    call_id: str | int, extra: dict[str, Any]
) -> None:
    """Any item with an id: the id as text, every other key in extra as sent."""
    call = structure({"id": call_id, "from": "+13152930000", **extra}, VoiceCall)
    assert call.id == str(call_id)
    assert call.from_number == "+13152930000"
    assert call.extra == extra


@given(token=st.text(min_size=1))
def test_a_sub_user_token_never_shows_in_repr(token: str) -> None:
    """repr and str of a SubUser leave its token out, whatever it is."""
    sub = SubUser(email="ann@x.example", name="Ann", easify_api_token=token)
    assert "easify_api_token" not in repr(sub)
    assert sub.easify_api_token == token


@pytest.mark.anyio
@pytest.mark.parametrize(
    "anyio_backend",
    [pytest.param(("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio")],
)
async def test_listing_sub_users_logs_no_token(caplog: pytest.LogCaptureFixture) -> None:
    """At DEBUG, fetching sub-users (after a 429 retry) writes no token to the log."""
    caplog.set_level(logging.DEBUG)
    secret = "1088|0123456789abcdef0123456789abcdef"
    answers = [
        httpx.Response(429, json={"status": False, "message": "Try again in 0 seconds"}),
        httpx.Response(
            200,
            json={
                "message": "Sub Users",
                "status": True,
                "data": [{"email": "ann@x.example", "name": "Ann", "easify_api_token": secret}],
            },
        ),
    ]
    transport = httpx.MockTransport(lambda request: answers.pop(0))
    async with AsyncEasify("t", transport=transport, max_retries=1) as easify:
        subs = [s async for s in easify.sub_users.list()]
    assert subs[0].easify_api_token == secret
    assert caplog.records
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert secret not in repr(subs)
