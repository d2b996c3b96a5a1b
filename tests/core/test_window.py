"""The limiter against a simulated Laravel fixed-window server, on virtual time.

trio's MockClock jumps over every sleep, so these runs take milliseconds while their
timings are exact and deterministic: asserting them asserts no wall-clock time.
"""

from __future__ import annotations

import contextlib
import logging
import math
import random
from pathlib import Path

import anyio
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async import AsyncEasify, RateLimit, RateLimitError, RateLimits
from easify_async._transports._ratelimit import _server_word
from easify_async.bulk import SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox
from tests._clock import virtual
from tests.fakes import SMS_SENT, LaravelWindowServer, Recorder

pytestmark = pytest.mark.anyio

VIRTUAL = virtual()


def limits(limit: int, period: float, margin: float) -> RateLimits:
    rate = RateLimit(limit, period)
    return RateLimits(sms_send=rate, email_send=rate, sms_status=rate, margin=margin)


async def send_all(easify: AsyncEasify, count: int, sender: str = "3152930000") -> None:
    async with anyio.create_task_group() as tg:
        for i in range(count):
            tg.start_soon(
                lambda i=i: easify.sms.send(
                    sender, f"+1315135{i:04d}", message="hi", force_send=True
                )
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
async def test_a_burst_of_fifteen_goes_out_within_one_round_trip() -> None:
    """A cold start sends one request, then the other 14 at once when its reply is in."""
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: 0.2)
    async with AsyncEasify("t", transport=server.transport()) as easify:
        await send_all(easify, 15)
    assert server.windows == [15]
    first, *rest = server.accepted_at
    assert rest == [pytest.approx(first + 0.2)] * 14


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_cold_start_in_a_window_others_spent_draws_no_429() -> None:
    """Another process spent 12 of 15: ten sends at once see no 429, the 4th waits a window."""
    random.seed(3)
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: random.uniform(0, 1.0))
    server.window_start, server.hits = anyio.current_time(), 12  # another process sent 12
    server.windows.append(12)
    async with AsyncEasify("t", transport=server.transport()) as easify:
        await send_all(easify, 10)
    assert server.rejected == 0
    assert server.windows == [15, 7]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_cold_bulk_run_in_a_spent_window_finishes_near_its_floor() -> None:
    """100 sends begun where 12 of 15 were spent: zero 429s, done within 2% of the floor."""
    random.seed(13)
    server = LaravelWindowServer(limit=15, period=0.5, latency=lambda: random.uniform(0, 0.004))
    server.window_start, server.hits = anyio.current_time(), 12
    server.windows.append(12)
    start = anyio.current_time()
    async with AsyncEasify(
        "t", transport=server.transport(), rate_limits=limits(15, 0.5, 0.002)
    ) as easify:
        await send_all(easify, 100)
    elapsed = anyio.current_time() - start
    # The 3 left go at once; the other 97 need 7 windows, the first opening at 0.5 s.
    floor = 0.5 + (math.ceil(97 / 15) - 1) * 0.5
    assert server.rejected == 0
    assert server.windows == [15] + [15] * 6 + [7]
    assert elapsed <= floor * 1.02


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_the_sandbox_cold_start_after_another_client_spent_twelve() -> None:
    """Through the sandbox: a second client that fires 10 into a 12-of-15 window gets no 429."""
    sandbox = Sandbox(clock=anyio.current_time, faults=Faults(latency=(0.0, 0.8), seed=5))
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as other:
        await send_all(other, 12, sender=DEMO_FROM_NUMBER)
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        await send_all(easify, 10, sender=DEMO_FROM_NUMBER)
    assert sandbox.rejected_requests == 0
    assert len(sandbox.sent_sms) == 22


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_server_without_rate_limit_headers_gets_the_burst_after_the_first_reply() -> None:
    """No X-RateLimit-* headers: one request, then the other 14 together, not one by one."""
    sandbox = Sandbox(
        clock=anyio.current_time, rate_limit_headers=False, faults=Faults(latency=(0.2, 0.2))
    )
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        await send_all(easify, 15, sender=DEMO_FROM_NUMBER)
    first, *rest = sorted(sms.accepted_at for sms in sandbox.sent_sms)
    assert rest == [pytest.approx(first + 0.2)] * 14
    assert sandbox.rejected_requests == 0


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_429_pauses_every_waiting_caller_until_the_stated_wait() -> None:
    """Someone else used the budget and the server does not say: one 429 wave, then a pause."""
    server = LaravelWindowServer(limit=15, period=60.0, latency=lambda: 0.0, headers=False)
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


class _BrokenLease:
    async def release(self, **_: object) -> None:
        raise RuntimeError("the store is on fire")


class _BrokenLimiter:
    async def acquire(self, key: str, *, limit: int, hold: float) -> _BrokenLease:
        return _BrokenLease()

    async def pause(self, key: str, seconds: float) -> None:
        """Never asked: no 429 here."""

    async def aclose(self) -> None:
        """Nothing to close."""


async def test_a_limiter_whose_release_fails_does_not_fail_a_sent_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any limiter's failing release after the reply is logged; the sent SMS is returned."""
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="easify_async"):
        async with AsyncEasify(
            "t", transport=recorder.transport(), limiter=_BrokenLimiter()
        ) as easify:
            sent = await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert sent.sms_id == "31529"
    assert len(recorder.requests) == 1
    assert "the store is on fire" in caplog.text


async def test_a_resumed_bulk_run_draws_at_most_one_429(tmp_path: Path) -> None:
    """A run stopped mid-window and resumed by a fresh client meets the old window once at most."""
    sandbox = Sandbox(period=0.5, faults=Faults(latency=(0.02, 0.1), seed=9))
    limits = RateLimits().scaled(0.5 / 60)
    journal = tmp_path / "run.db"
    items = [
        SmsMessage(
            from_number=DEMO_FROM_NUMBER,
            to_number=f"+1315135{n:04d}",
            message="hi",
            force_send=True,
            key=str(n),
        )
        for n in range(40)
    ]
    with anyio.fail_after(30):
        async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as e:
            run = contextlib.aclosing(e.sms.send_many(items, journal=journal))
            async with run as results:
                done = 0
                async for _ in results:
                    done += 1
                    if done == 8:
                        break  # the process "dies" with the window it opened still open
        killed_run_sent = len(sandbox.sent_sms)
        async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as e:
            resumed = [r async for r in e.sms.send_many(items, journal=journal)]
    assert killed_run_sent >= 8
    assert len(resumed) == 40
    assert sandbox.rejected_requests <= 1
    assert len({sms.to_number for sms in sandbox.sent_sms}) == len(sandbox.sent_sms)


_HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=12)


@given(
    status=st.sampled_from([200, 201, 302, 400, 401, 422, 500, 502, 503]),
    remaining=st.none() | _HEADER_TEXT | st.integers(-5, 10**12).map(str),
    limit=st.none() | _HEADER_TEXT | st.integers(-5, 10**12).map(str),
)
def test_any_rate_limit_headers_are_read_as_a_plain_count_or_not_at_all(
    status: int, remaining: str | None, limit: str | None
) -> None:
    """Remaining is believed only as ASCII digits no larger than the reply's own Limit."""
    headers = [
        (name, value.encode("latin-1"))
        for name, value in (("X-RateLimit-Remaining", remaining), ("X-RateLimit-Limit", limit))
        if value is not None
    ]
    replied, said = _server_word(httpx.Response(status, headers=headers))
    if said is not None:
        assert remaining is not None
        assert said == int(remaining.strip()) >= 0
        assert remaining.strip().isascii()
        assert remaining.strip().isdigit()
        believed_limit = limit is not None and limit.strip().isascii() and limit.strip().isdigit()
        assert not believed_limit or said <= int(limit or "0")
    assert replied == (said is not None or status < 500)


@pytest.mark.parametrize("remaining", ["1_000", "١٢", "-3", "1e3", " 7 ", "nan", "99999999999"])
async def test_odd_remaining_headers_never_fail_or_stall_a_send(remaining: str) -> None:
    """Whatever a success says in Remaining, sends succeed and the next ones are not held."""
    header = [(b"X-RateLimit-Remaining", remaining.encode())]
    recorder = Recorder(default=httpx.Response(200, json=SMS_SENT, headers=header))
    with anyio.fail_after(5):
        async with AsyncEasify("t", transport=recorder.transport()) as easify:
            await send_all(easify, 5)
    assert len(recorder.requests) == 5


class _OrderLease:
    def __init__(self, events: list[str]) -> None:
        self._events = events

    async def release(self, *, counted: bool = True, **_: object) -> None:
        self._events.append("release" if counted else "release-uncounted")


class _OrderLimiter:
    """Records the order in which the transport pauses and releases."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def acquire(self, key: str, *, limit: int, hold: float) -> _OrderLease:
        self.events.append("acquire")
        return _OrderLease(self.events)

    async def pause(self, key: str, seconds: float) -> None:
        self.events.append("pause")

    async def aclose(self) -> None:
        """Nothing to close."""


async def test_a_429_pauses_the_key_before_its_slot_is_given_back() -> None:
    """Pause, then release: no caller sharing the limiter can take the freed slot unpaused."""
    refusal = {"status": False, "message": "Try again in 1 seconds", "errors": []}
    transport = httpx.MockTransport(lambda request: httpx.Response(429, json=refusal))
    limiter = _OrderLimiter()
    async with AsyncEasify("t", transport=transport, limiter=limiter, max_retries=0) as easify:
        with pytest.raises(RateLimitError):
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert limiter.events == ["acquire", "pause", "release-uncounted"]
