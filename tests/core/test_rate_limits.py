"""RateLimit/RateLimits: validated frozen values."""

from __future__ import annotations

import attrs
import pytest

from easify_async import RateLimit, RateLimits


def test_defaults_are_the_documented_limits() -> None:
    """15 SMS sends, 15 email sends, 60 status calls per minute, 1 s margin."""
    limits = RateLimits()
    assert (limits.sms_send, limits.email_send, limits.sms_status, limits.margin) == (
        RateLimit(15, 60.0),
        RateLimit(15, 60.0),
        RateLimit(60, 60.0),
        1.0,
    )


@pytest.mark.parametrize(
    ("limit", "period"),
    [
        pytest.param(0, 60, id="zero-limit"),
        pytest.param(15, 0, id="zero-period"),
        pytest.param(1.5, 60, id="float-limit"),
    ],
)
def test_nonsense_limits_are_refused(limit: object, period: object) -> None:
    """A limit must be a positive int and a period positive."""
    with pytest.raises((ValueError, TypeError)):
        RateLimit(limit, period)  # type: ignore[arg-type]


def test_values_are_frozen_and_scale() -> None:
    """Frozen values; scaled() multiplies every period and the margin."""
    limits = RateLimits()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        limits.margin = 2.0  # type: ignore[misc]
    small = limits.scaled(0.01)
    assert small.sms_send == RateLimit(15, 0.6)
    assert small.sms_status == RateLimit(60, 0.6)
    assert small.margin == pytest.approx(0.01)
