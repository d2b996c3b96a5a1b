"""The limiter against a simulated Laravel fixed-window server, on virtual time.

trio's MockClock jumps over every sleep, so these runs take milliseconds while their
timings are exact and deterministic: asserting them asserts no wall-clock time.
"""

from __future__ import annotations

import math
import random

import anyio
import pytest
import trio.testing

from easify_async import AsyncEasify, RateLimit, RateLimitError, RateLimits
from tests.fakes import LaravelWindowServer

pytestmark = pytest.mark.anyio

VIRTUAL = [
    pytest.param(
        ("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio-virtual-clock"
    )
]


def limits(limit: int, period: float, margin: float) -> RateLimits:
    rate = RateLimit(limit, period)
    return RateLimits(sms_send=rate, email_send=rate, sms_status=rate, margin=margin)


async def send_all(easify: AsyncEasify, count: int) -> None:
    async with anyio.create_task_group() as tg:
        for i in range(count):
            tg.start_soon(
                lambda i=i: easify.sms.send("3152930000", f"+1315135{i:04d}", message="hi")
            )


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_hundred_sends_never_hit_the_wall_and_finish_near_the_window_floor() -> None:
    """N=100 at 15 per 0.5 s with random latency: zero 429s, done within 2% of the floor."""
    random.seed(7)
    server = LaravelWindowServer(limit=15, period=0.5, latency=lambda: random.uniform(0, 0.004))
    start = anyio.current_time()
    async with AsyncEasify(
        "t", transport=server.transport(), rate_limits=limits(15, 0.5, 0.002)
    ) as easify:
        await send_all(easify, 100)
    elapsed = anyio.current_time() - start
    floor = (math.ceil(100 / 15) - 1) * 0.5
    assert server.rejected == 0
    assert server.windows == [15] * 6 + [10]
    assert elapsed <= floor * 1.02


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_real_minute_limits_hold_under_jitter() -> None:
    """The default limits against a 60 s server with up to 2 s of latency: never a 429."""
    random.seed(11)
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: random.uniform(0, 2.0))
    async with AsyncEasify("t", transport=server.transport()) as easify:
        await send_all(easify, 46)
    assert server.rejected == 0
    assert server.windows == [15, 15, 15, 1]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_burst_of_fifteen_goes_out_at_once() -> None:
    """The first `limit` sends are not spaced out: they all go in the first instant."""
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: 0.0)
    async with AsyncEasify("t", transport=server.transport()) as easify:
        await send_all(easify, 15)
    assert server.windows == [15]
    assert server.last_accept == server.window_start


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_429_pauses_every_waiting_caller_until_the_stated_wait() -> None:
    """Someone else used the budget: one 429, then nobody calls again before the wait ends."""
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: 0.0)
    server.window_start, server.hits = anyio.current_time(), 10  # another process sent 10
    server.windows.append(10)
    async with AsyncEasify("t", transport=server.transport()) as easify:
        await send_all(easify, 20)
    first_window_end = server.rejected_at[0] + 60.0
    # Only attempts already in flight at the first 429 were refused; none came after it.
    assert all(at < first_window_end for at in server.rejected_at)
    assert server.windows == [15, 15]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_rate_limit_error_after_retries_are_used_up() -> None:
    """A server that keeps refusing ends in RateLimitError after max_retries retries."""
    server = LaravelWindowServer(limit=0, period=30.0, latency=lambda: 0.0)
    start = anyio.current_time()
    async with AsyncEasify("t", transport=server.transport(), max_retries=2) as easify:
        with pytest.raises(RateLimitError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert server.rejected == 3
    # Each retry waited at least the stated 30 s, read as up to 1 s early: 31 s.
    assert server.rejected_at[1] - server.rejected_at[0] >= 31.0
    assert server.rejected_at[2] - server.rejected_at[1] >= 31.0
    assert caught.value.retry_after >= 1.0
    assert anyio.current_time() - start < 300


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_no_retry_starts_whose_wait_ends_past_the_deadline() -> None:
    """A stated wait longer than the retry deadline fails at once instead of sleeping."""
    server = LaravelWindowServer(limit=0, period=3600.0, latency=lambda: 0.0)
    async with AsyncEasify("t", transport=server.transport(), retry_deadline=120) as easify:
        with pytest.raises(RateLimitError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert server.rejected == 1
    assert caught.value.retry_after == 3601.0
