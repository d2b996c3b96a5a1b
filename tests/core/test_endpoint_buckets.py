"""Every endpoint has its own rate-limit bucket at its documented limit."""

from __future__ import annotations

import pytest

from easify_async import RateLimit, RateLimits
from easify_async import _routes as routes


def test_every_route_has_its_own_bucket() -> None:
    """No two routes share a bucket, and the table lists every route's bucket."""
    table = [v for v in vars(routes).values() if isinstance(v, routes.Route)]
    assert len({r.bucket for r in table}) == len(table)
    assert set(routes.BUCKETS) == {r.bucket for r in table}


@pytest.mark.parametrize(
    ("route", "limit"),
    [
        pytest.param(routes.SMS_SEND, 15, id="sms-send"),
        pytest.param(routes.EMAIL_SEND, 15, id="email-send"),
        pytest.param(routes.CAMPAIGN_SEND, 15, id="campaign-send-conservative"),
        pytest.param(routes.SMS_REPORT, 60, id="sms-report"),
        pytest.param(routes.SMS_CHAT_HISTORY, 60, id="chat-history"),
        pytest.param(routes.SMS_TEMPLATES, 60, id="templates"),
        pytest.param(routes.CAMPAIGN_STATUS, 60, id="campaign-status"),
        pytest.param(routes.CAMPAIGN_ITEMS, 60, id="campaign-items"),
        pytest.param(routes.PHONE_NUMBERS, 60, id="phone-numbers"),
        pytest.param(routes.PHONE_NUMBERS_UPDATE, 60, id="phone-numbers-update"),
    ],
)
def test_default_limits_are_the_documented_ones(route: routes.Route, limit: int) -> None:
    """By default each bucket keeps to its endpoint's documented limit per minute."""
    assert RateLimits().limit_for(route.bucket, route.limit) == RateLimit(limit, 60.0)


def test_overrides_set_any_bucket_and_named_fields_stay_fields() -> None:
    """`overrides` sets a bucket by name; the three named buckets are read from their fields."""
    limits = RateLimits(sms_status=RateLimit(5, 1.0), overrides={"sms_report": RateLimit(2, 1.0)})
    assert limits.limit_for("sms_report", routes.SMS_REPORT.limit) == RateLimit(2, 1.0)
    assert limits.limit_for("sms_status", routes.SMS_STATUS.limit) == RateLimit(5, 1.0)
    assert limits.limit_for("sms_templates", routes.SMS_TEMPLATES.limit) == RateLimit(60, 60.0)


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"sms_reprot": RateLimit(1, 1.0)}, id="typo"),
        pytest.param({"sms_send": RateLimit(1, 1.0)}, id="named-bucket"),
        pytest.param({"sms_report": (1, 1.0)}, id="not-a-rate-limit"),
    ],
)
def test_bad_overrides_are_refused(overrides: dict[str, RateLimit]) -> None:
    """An unknown bucket, a named one, or a value that is not a RateLimit is an error."""
    with pytest.raises((ValueError, TypeError)):
        RateLimits(overrides=overrides)


def test_scaled_scales_every_bucket() -> None:
    """scaled() shortens named, overridden and default buckets alike, and composes."""
    limits = RateLimits(overrides={"sms_report": RateLimit(2, 10.0)}).scaled(0.1).scaled(0.5)
    assert limits.sms_send == RateLimit(15, 3.0)
    assert limits.limit_for("sms_report", routes.SMS_REPORT.limit) == RateLimit(2, 0.5)
    assert limits.limit_for("campaign_items", routes.CAMPAIGN_ITEMS.limit) == RateLimit(60, 3.0)
    assert limits.margin == pytest.approx(0.05)


def test_rate_limits_stay_hashable_and_comparable() -> None:
    """Frozen values: equal when equal, usable as dict keys, overrides read-only."""
    a = RateLimits(overrides={"sms_report": RateLimit(2, 1.0)})
    b = RateLimits(overrides={"sms_report": RateLimit(2, 1.0)})
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(TypeError):
        a.overrides["sms_report"] = RateLimit(3, 1.0)  # type: ignore[index]
