"""Values of a plausible type but an odd value (NaN, a NUL, ten million) are refused by
name before any request, never left to fail deep inside (or, for NaN, to pass checks)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify
from easify_async.bulk import SmsMessage
from easify_async.errors import InvalidJournalError
from easify_async.webhooks import sign, verify_email_events, verify_sms_event

pytestmark = pytest.mark.anyio

ROW = SmsMessage(from_number="3152930000", to_number="+13151350000", message="hi")


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        pytest.param(
            lambda e: e.sms.wait_for_final_status("1", timeout=math.nan), "timeout", id="sms-nan"
        ),
        pytest.param(
            lambda e: e.sms.wait_for_final_status("1", timeout=1, poll_interval=math.nan),
            "poll_interval",
            id="sms-interval-nan",
        ),
        pytest.param(
            lambda e: e.sms.wait_for_final_status("1", timeout=True), "timeout", id="sms-bool"
        ),
        pytest.param(
            lambda e: e.campaigns.wait_for_completion(1, timeout=math.nan),
            "timeout",
            id="campaign-nan",
        ),
        pytest.param(
            lambda e: e.campaigns.wait_for_completion(1, timeout=-1), "timeout", id="campaign-neg"
        ),
        pytest.param(
            lambda e: e.campaigns.wait_for_completion(1, timeout=1, poll_interval=math.nan),
            "poll_interval",
            id="campaign-interval-nan",
        ),
        pytest.param(
            lambda e: e.campaigns.wait_for_completion(1, timeout=1, poll_interval=math.inf),
            "poll_interval",
            id="campaign-interval-inf",
        ),
    ],
)
async def test_a_wait_of_nan_seconds_is_refused_by_name(
    easify: AsyncEasify, sent: list[httpx.Request], call: Any, argument: str
) -> None:
    """NaN, a negative or a bool as a wait: ArgumentError naming it, nothing sent."""
    with pytest.raises(ArgumentError) as caught:
        await call(easify)
    assert caught.value.argument == argument
    assert sent == []


BODY = b'{"sms_id":"1","status":"Delivered"}'
HEADERS = {"X-Easify-Signature": sign(BODY, secret="s"), "X-Easify-Timestamp": "1000"}


@pytest.mark.parametrize("verify", [verify_sms_event, verify_email_events])
@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        pytest.param({"now": math.nan}, "now", id="now-nan"),
        pytest.param({"now": math.inf}, "now", id="now-inf"),
        pytest.param({"not_before": math.nan}, "not_before", id="not-before-nan"),
        pytest.param({"headers": "X-Easify-Timestamp: 1000"}, "headers", id="headers-str"),
        pytest.param({"headers": None}, "headers", id="headers-none"),
        pytest.param({"body": 5}, "body", id="body-int"),
        pytest.param({"body": {"sms_id": "1"}}, "body", id="body-dict"),
        pytest.param({"secret": [5]}, "secret", id="secret-int-in-list"),
        pytest.param({"secret": 5}, "secret", id="secret-int"),
        pytest.param({"max_bytes": "big"}, "max_bytes", id="max-bytes-str"),
    ],
)
def test_a_webhook_check_refuses_odd_arguments_by_name(
    verify: Any, changes: dict[str, Any], argument: str
) -> None:
    """A NaN `now` would accept any timestamp, a NaN `not_before` any event: refused."""
    arguments = {"body": BODY, "headers": HEADERS, "secret": "s", "now": 1000, **changes}
    with pytest.raises(ArgumentError) as caught:
        verify(arguments.pop("body"), arguments.pop("headers"), **arguments)
    assert caught.value.argument == argument


@pytest.mark.parametrize("group", ["sms", "contacts"])
async def test_a_journal_path_holding_a_nul_is_an_invalid_journal(
    easify: AsyncEasify, sent: list[httpx.Request], tmp_path: Path, group: str
) -> None:
    """A NUL in the journal path: InvalidJournalError (was a bare ValueError), nothing sent."""
    journal = str(tmp_path / "run\0.db")
    start = {
        "sms": lambda: easify.sms.send_many([ROW], journal=journal),
        "contacts": lambda: easify.contacts.create_many([], journal=journal),
    }[group]
    with pytest.raises(InvalidJournalError) as caught:
        start()
    assert "NUL" in str(caught.value)
    assert sent == []


async def test_a_journal_that_is_no_path_is_an_argument_error(easify: AsyncEasify) -> None:
    """journal=5: ArgumentError naming journal."""
    with pytest.raises(ArgumentError) as caught:
        easify.sms.send_many([ROW], journal=5)  # type: ignore[arg-type]
    assert caught.value.argument == "journal"


@pytest.mark.parametrize("concurrency", [10**7, 1001, 0, True, 2.0])
async def test_an_absurd_concurrency_is_refused_at_the_call(
    easify: AsyncEasify, concurrency: Any
) -> None:
    """Ten million workers for one row ran out of memory: over 1000 is refused by name."""
    with pytest.raises(ArgumentError) as caught:
        easify.sms.send_many([ROW], concurrency=concurrency)
    assert caught.value.argument == "concurrency"


async def test_the_default_concurrency_never_exceeds_the_ceiling() -> None:
    """A send limit of a million a minute still gives a bulk run at most 1000 workers."""
    from easify_async import RateLimit, RateLimits

    limits = RateLimits(sms_send=RateLimit(10**6, 60.0))
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    async with AsyncEasify("t", transport=transport, rate_limits=limits) as easify:
        assert easify.sms._bulk_concurrency == 1000


@pytest.mark.parametrize("period", [math.nan, math.inf, 0, -1])
def test_a_sandbox_window_that_never_ends_is_refused(period: float) -> None:
    """Sandbox(period=nan) built a throttle whose window never ends: ArgumentError."""
    from easify_async.sandbox import Sandbox

    with pytest.raises(ArgumentError) as caught:
        Sandbox(period=period)
    assert caught.value.argument == "period"
