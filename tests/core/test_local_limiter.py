"""LocalLimiter: window-exact slots, first come first served, shared pauses, the server's word."""

from __future__ import annotations

import asyncio
import math
import sys
from typing import Any

import anyio
import pytest

from easify_async import ArgumentError
from easify_async.limiters import MAX_PAUSE, Lease, Limiter, LocalLimiter
from tests._clock import virtual

pytestmark = pytest.mark.anyio

VIRTUAL = virtual()


async def warm(limiter: LocalLimiter, key: str, *, limit: int, hold: float) -> None:
    """Give ``key`` fresh word from a server that says nothing of its budget."""
    lease = await limiter.acquire(key, limit=limit, hold=hold)
    await lease.release(counted=False, replied=True)


async def taken_at_once(limiter: LocalLimiter, key: str, *, limit: int, hold: float) -> int:
    """How many slots of ``key`` can be taken without waiting (they stay taken)."""
    count = 0
    while True:
        with anyio.move_on_after(0.01) as scope:
            await limiter.acquire(key, limit=limit, hold=hold)
        if scope.cancelled_caught:
            return count
        count += 1


def test_local_limiter_implements_the_protocol() -> None:
    """LocalLimiter is a Limiter, its leases are Leases."""
    assert isinstance(LocalLimiter(), Limiter)


async def test_at_most_limit_slots_and_fifo_order() -> None:
    """Three slots: three go at once, the rest wait and are served in arrival order."""
    limiter = LocalLimiter()
    await warm(limiter, "k", limit=3, hold=3600.0)
    held: list[Lease] = [await limiter.acquire("k", limit=3, hold=3600.0) for _ in range(3)]
    order: list[int] = []

    async def waiter(i: int) -> None:
        lease = await limiter.acquire("k", limit=3, hold=3600.0)
        order.append(i)
        held.append(lease)

    async with anyio.create_task_group() as tg:
        for i in range(4):
            tg.start_soon(waiter, i)
            await anyio.wait_all_tasks_blocked()
        assert order == []
        for i in range(4):
            await held[i].release(counted=False)
            await anyio.wait_all_tasks_blocked()
            assert order == list(range(i + 1))


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_released_slot_stays_taken_for_hold_seconds() -> None:
    """A counted release frees the slot `hold` seconds after the response, not before."""
    limiter = LocalLimiter()
    lease = await limiter.acquire("k", limit=1, hold=60.0)
    await anyio.sleep(5)  # the request's latency
    released_at = anyio.current_time()
    await lease.release()
    await limiter.acquire("k", limit=1, hold=60.0)
    assert anyio.current_time() - released_at == pytest.approx(60.0)


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_an_uncounted_release_frees_the_slot_at_once() -> None:
    """A 429 was not counted by the server: its slot is free immediately."""
    limiter = LocalLimiter()
    lease = await limiter.acquire("k", limit=1, hold=60.0)
    await lease.release(counted=False)
    before = anyio.current_time()
    await limiter.acquire("k", limit=1, hold=60.0)
    assert anyio.current_time() == before


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_pause_holds_back_every_waiter() -> None:
    """While paused no slot is handed out, even with slots free."""
    limiter = LocalLimiter()
    await limiter.pause("k", 30.0)
    start = anyio.current_time()
    await limiter.acquire("k", limit=15, hold=60.0)
    assert anyio.current_time() - start == pytest.approx(30.0)


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
@pytest.mark.parametrize("asked", [1e9, math.inf, 3 * 365 * 86400.0])
async def test_a_pause_is_capped(asked: float) -> None:
    """An absurd or infinite pause holds the key for MAX_PAUSE seconds, no longer."""
    limiter = LocalLimiter()
    await limiter.pause("k", asked)
    start = anyio.current_time()
    await limiter.acquire("k", limit=15, hold=60.0)
    assert anyio.current_time() - start == pytest.approx(MAX_PAUSE)


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_negative_pause_is_none_and_nan_is_refused() -> None:
    """pause(-5) holds nothing back; pause(NaN) is an ArgumentError, and pauses nothing."""
    limiter = LocalLimiter()
    await limiter.pause("k", -5.0)
    with pytest.raises(ArgumentError, match="NaN"):
        await limiter.pause("k", math.nan)
    start = anyio.current_time()
    await limiter.acquire("k", limit=15, hold=60.0)
    assert anyio.current_time() == start


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_cold_key_lets_one_request_go_first() -> None:
    """No word from the server yet: the second acquire waits for the first one's reply."""
    limiter = LocalLimiter()
    start = anyio.current_time()
    probe = await limiter.acquire("k", limit=15, hold=60.0)
    got: list[float] = []

    async def second() -> None:
        await limiter.acquire("k", limit=15, hold=60.0)
        got.append(anyio.current_time() - start)

    async with anyio.create_task_group() as tg:
        tg.start_soon(second)
        await anyio.sleep(0.3)  # the probe's round trip
        assert got == []
        await probe.release(replied=True, remaining=14)
    assert got == [pytest.approx(0.3)]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_the_reply_sizes_the_burst_until_its_window_has_surely_closed() -> None:
    """Remaining 2 after the probe: two more go at once, the next one hold later, alone."""
    limiter = LocalLimiter()
    probe = await limiter.acquire("k", limit=15, hold=61.0)
    replied_at = anyio.current_time()
    await probe.release(replied=True, remaining=2)
    assert await taken_at_once(limiter, "k", limit=15, hold=61.0) == 2
    start = anyio.current_time()
    late = await limiter.acquire("k", limit=15, hold=61.0)
    assert anyio.current_time() == pytest.approx(replied_at + 61.0)
    assert anyio.current_time() > start
    # The word went stale: this one is a probe again, and nothing else goes before its reply.
    assert await taken_at_once(limiter, "k", limit=15, hold=61.0) == 0
    await late.release(replied=True, remaining=14)
    assert await taken_at_once(limiter, "k", limit=15, hold=61.0) == 12  # 15 - 3 held


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_later_reply_lowers_what_is_left_and_never_raises_it() -> None:
    """Others spent some: a reply saying 3 left caps the burst at 3; an older 9 changes nothing."""
    limiter = LocalLimiter()
    probe = await limiter.acquire("k", limit=15, hold=60.0)
    await probe.release(replied=True, remaining=10)
    out = [await limiter.acquire("k", limit=15, hold=60.0) for _ in range(3)]
    await out[0].release(replied=True, remaining=3)
    assert await taken_at_once(limiter, "k", limit=15, hold=60.0) == 3
    await out[1].release(replied=True, remaining=9)  # overtaken by the one that said 3
    assert await taken_at_once(limiter, "k", limit=15, hold=60.0) == 0


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_requests_in_flight_at_the_first_reply_take_from_it() -> None:
    """A reply to a cold key saying 5 left while 2 of ours are still out allows 3 more."""
    limiter = LocalLimiter()
    await warm(limiter, "k", limit=15, hold=1.0)
    slow = [await limiter.acquire("k", limit=15, hold=1.0) for _ in range(2)]
    await anyio.sleep(1.0)  # the word went stale, those two are still out
    probe = await limiter.acquire("k", limit=15, hold=1.0)
    await probe.release(replied=True, remaining=5)
    assert await taken_at_once(limiter, "k", limit=15, hold=1.0) == 3
    assert len(slow) == 2


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_server_that_does_not_say_gets_the_full_burst_after_the_first_reply() -> None:
    """No X-RateLimit headers: after the first reply, limit - 1 more go at once."""
    limiter = LocalLimiter()
    probe = await limiter.acquire("k", limit=15, hold=60.0)
    await probe.release(replied=True)
    assert await taken_at_once(limiter, "k", limit=15, hold=60.0) == 14


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_probe_that_got_no_reply_hands_the_probe_on() -> None:
    """The first attempt failed without a reply: the key stays cold, the next goes alone."""
    limiter = LocalLimiter()
    first = await limiter.acquire("k", limit=15, hold=60.0)
    await first.release()  # a timeout: counted (maybe), but nothing heard
    second = await limiter.acquire("k", limit=15, hold=60.0)
    assert await taken_at_once(limiter, "k", limit=15, hold=60.0) == 0
    await second.release(replied=True)
    assert await taken_at_once(limiter, "k", limit=15, hold=60.0) == 13


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_pause_voids_the_servers_word() -> None:
    """After a pause ends, the key is cold again: one request first."""
    limiter = LocalLimiter()
    await warm(limiter, "k", limit=15, hold=600.0)
    await limiter.pause("k", 30.0)
    start = anyio.current_time()
    await limiter.acquire("k", limit=15, hold=600.0)
    assert anyio.current_time() - start == pytest.approx(30.0)
    assert await taken_at_once(limiter, "k", limit=15, hold=600.0) == 0


async def test_a_cancelled_waiter_takes_nothing() -> None:
    """Cancelling a queued acquire leaves the slot count as it was."""
    limiter = LocalLimiter()
    lease = await limiter.acquire("k", limit=1, hold=0.0)
    with anyio.move_on_after(0.01):
        await limiter.acquire("k", limit=1, hold=0.0)
    await lease.release()
    with anyio.fail_after(1):
        second = await limiter.acquire("k", limit=1, hold=0.0)
    await second.release()


async def test_releasing_twice_frees_one_slot_only() -> None:
    """A second release of the same lease is ignored."""
    limiter = LocalLimiter()
    lease = await limiter.acquire("k", limit=2, hold=3600.0)
    await lease.release(replied=True)
    await lease.release(replied=True)
    await limiter.acquire("k", limit=2, hold=3600.0)
    with anyio.move_on_after(0.01) as scope:
        await limiter.acquire("k", limit=2, hold=3600.0)
    assert scope.cancelled_caught


async def test_keys_are_independent() -> None:
    """A full key does not hold back another."""
    limiter = LocalLimiter()
    await limiter.acquire("a", limit=1, hold=3600.0)
    with anyio.fail_after(1):
        await limiter.acquire("b", limit=1, hold=3600.0)


async def test_waiters_cancelled_in_the_queue_are_skipped_in_order() -> None:
    """Of five callers queued behind a full key, the second and fourth are cancelled:
    the others are served in arrival order, and the key's turn is free after them."""
    limiter = LocalLimiter()
    await warm(limiter, "k", limit=1, hold=0.0)
    held = [await limiter.acquire("k", limit=1, hold=0.0)]
    served: list[int] = []
    scopes = [anyio.CancelScope() for _ in range(5)]

    async def waiter(i: int) -> None:
        with scopes[i]:
            lease = await limiter.acquire("k", limit=1, hold=0.0)
            served.append(i)
            held.append(lease)

    async with anyio.create_task_group() as tg:
        for i in range(5):
            tg.start_soon(waiter, i)
            await anyio.wait_all_tasks_blocked()
        scopes[1].cancel()
        scopes[3].cancel()
        await anyio.wait_all_tasks_blocked()
        for _ in range(3):
            await held[-1].release(counted=False)
            await anyio.wait_all_tasks_blocked()
    assert served == [0, 2, 4]
    await held[-1].release(counted=False)
    with anyio.fail_after(1):
        await limiter.acquire("k", limit=1, hold=0.0)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_waiter_cancelled_as_its_turn_comes_passes_it_on() -> None:
    """The caller that takes a slot hands the key's turn to the next in the queue; that
    one's cancellation arriving before it has run (a task cancelled by asyncio itself:
    anyio's scopes and trio let a handed task run first) hands the turn on again: the
    third caller is not stranded, and takes the next slot freed."""
    limiter = LocalLimiter()
    await warm(limiter, "k", limit=2, hold=3600.0)
    first = await limiter.acquire("k", limit=2, hold=3600.0)
    second = await limiter.acquire("k", limit=2, hold=3600.0)
    got: list[str] = []
    tasks: list[asyncio.Task[Any]] = []

    async def holder() -> None:  # waits holding the turn; cancels the next once served
        await limiter.acquire("k", limit=2, hold=3600.0)
        got.append("holder")
        tasks[0].cancel()  # it has been handed the turn, and has not run since

    async def cancelled() -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.append(task)
        try:
            await limiter.acquire("k", limit=2, hold=3600.0)
            got.append("cancelled, yet served")
        except asyncio.CancelledError:
            got.append("cancelled")
            if sys.version_info >= (3, 11):
                task.uncancel()  # handled here: anyio's scopes must not count it

    async def last() -> None:
        await limiter.acquire("k", limit=2, hold=3600.0)
        got.append("last")

    async with anyio.create_task_group() as tg:
        for waiter in (holder, cancelled, last):
            tg.start_soon(waiter)
            await anyio.wait_all_tasks_blocked()
        await first.release(counted=False)
        await anyio.wait_all_tasks_blocked()
        assert got == ["holder", "cancelled"]
        await second.release(counted=False)
        await anyio.wait_all_tasks_blocked()
        assert got == ["holder", "cancelled", "last"]
