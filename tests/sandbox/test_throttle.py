"""Laravel's throttle arithmetic, raw over both transports, on a fake clock."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async.sandbox import DEMO_FROM_NUMBER, Sandbox
from easify_async.sandbox._throttle import FixedWindowThrottle
from tests.sandbox.conftest import FakeClock, app_headers, json_headers, php_json, raw_client

pytestmark = pytest.mark.anyio

SMS = {
    "from_number": DEMO_FROM_NUMBER,
    "to_number": "3151350000",
    "country_code": "+1",
    "message": "Hai",
}


def too_many(seconds: int) -> bytes:
    return php_json(
        {
            "status": False,
            "message": f"Too many requests. Try again in {seconds} seconds",
            "errors": [],
        }
    )


@pytest.mark.parametrize(
    ("now", "stated"),
    [
        pytest.param(1000.9, 60, id="at-once-60"),
        pytest.param(1001.2, 59, id="a-second-later-59-as-the-docs"),
        pytest.param(1020.3, 40, id="mid-window-rounded-up"),
        pytest.param(1059.0, 1, id="last-second"),
        pytest.param(1059.95, 1, id="never-0"),
    ],
)
async def test_retry_after_is_the_whole_second_window_end_minus_the_whole_second_now(
    where: str, now: float, stated: int
) -> None:
    """First hit at 1000.7: the window ends at 1060, a 429 at t says 1060 - floor(t)."""
    clock = FakeClock(1000.7)
    sandbox = Sandbox(clock=clock)
    async with raw_client(sandbox, where) as client:
        for _ in range(15):
            assert (await client.post("sms/send", json=SMS)).status_code == 200
        clock.now = now
        refused = await client.post("sms/send", json=SMS)
    reset = sandbox.epoch_seconds(1060.0)
    assert refused.status_code == 429
    assert refused.content == too_many(stated)
    assert app_headers(refused) == json_headers(
        x_ratelimit_limit="15",
        x_ratelimit_remaining="0",
        retry_after=str(stated),
        x_ratelimit_reset=str(reset),
    )
    # X-RateLimit-Reset is Laravel's now + N, a real UNIX time.
    assert reset - stated == sandbox.epoch_seconds(math.floor(now))
    assert abs(reset - stated - time.time()) < 5


async def test_the_window_reopens_on_its_whole_second_end(where: str) -> None:
    """Opened at 1000.7, still closed at 1059.999, open at 1060.0: 59.3 s, not 60."""
    clock = FakeClock(1000.7)
    sandbox = Sandbox(clock=clock)
    async with raw_client(sandbox, where) as client:
        for _ in range(15):
            await client.post("sms/send", json=SMS)
        clock.now = 1059.999
        last_refused = await client.post("sms/send", json=SMS)
        clock.now = 1060.0
        reopened = await client.post("sms/send", json=SMS)
    assert last_refused.status_code == 429
    assert last_refused.headers["Retry-After"] == "1"
    assert reopened.status_code == 200
    assert app_headers(reopened) == json_headers(x_ratelimit_limit="15", x_ratelimit_remaining="14")
    assert sandbox.rejected_requests == 1


async def test_a_429_is_not_counted_and_does_not_move_the_window(where: str) -> None:
    """Refused requests neither count nor extend the window; the next one opens at its arrival."""
    clock = FakeClock(1000.0)
    sandbox = Sandbox(clock=clock)
    async with raw_client(sandbox, where) as client:
        for _ in range(15):
            await client.post("sms/send", json=SMS)
        for moment in (1010.0, 1030.0, 1059.5):
            clock.now = moment
            assert (await client.post("sms/send", json=SMS)).status_code == 429
        clock.now = 1075.4  # a new window opens here, ending at 1135
        first = await client.post("sms/send", json=SMS)
        for _ in range(14):
            await client.post("sms/send", json=SMS)
        clock.now = 1134.9
        refused = await client.post("sms/send", json=SMS)
    assert first.headers["X-RateLimit-Remaining"] == "14"
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["X-RateLimit-Reset"] == str(sandbox.epoch_seconds(1135.0))


async def test_a_shortened_period_states_whole_seconds_never_zero(where: str) -> None:
    """period=0.5: 60 ticks of 1/120 s; a 429 says 1 s (rounded up); the window ends on a tick."""
    clock = FakeClock(1000.004)  # tick 120000, so the window ends at tick 120060 = 1000.5
    sandbox = Sandbox(period=0.5, clock=clock)
    async with raw_client(sandbox, where) as client:
        for _ in range(15):
            await client.post("sms/send", json=SMS)
        clock.now = 1000.499
        refused = await client.post("sms/send", json=SMS)
        clock.now = 1000.5
        reopened = await client.post("sms/send", json=SMS)
    assert refused.content == too_many(1)
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["X-RateLimit-Reset"] == str(sandbox.epoch_seconds(1000.5))
    assert reopened.status_code == 200


@given(
    first=st.floats(0, 1e7, allow_nan=False),
    delay=st.floats(0, 120, allow_nan=False),
    period=st.sampled_from([0.3, 0.5, 1.0, 60.0]),
)
def test_the_stated_wait_is_between_1_and_the_period_and_always_enough(
    first: float, delay: float, period: float
) -> None:
    """Whenever a request is refused, N is in 1..ceil(period) and a request N s later passes."""
    clock = FakeClock(first)
    throttle = FixedWindowThrottle(period=period, clock=clock)
    for _ in range(15):
        assert throttle.hit("k", 15).allowed
    clock.advance(delay)
    decision = throttle.hit("k", 15)
    if decision.allowed:
        # Reopened: no earlier than period - 1 tick after the first hit, no later than period.
        assert delay >= period - period / 60 - 1e-6
        return
    assert 1 <= decision.retry_after <= math.ceil(period)
    assert first + period - period / 60 - 1e-6 <= decision.reopens_at <= first + period + 1e-6
    assert decision.reopens_at <= clock.now + decision.retry_after
    clock.advance(decision.retry_after)
    assert throttle.hit("k", 15).allowed
