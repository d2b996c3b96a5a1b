"""LocalLimiter: window-exact slots, first come first served, shared pauses."""

from __future__ import annotations

import anyio
import pytest
import trio.testing

from easify_async.limiters import Lease, Limiter, LocalLimiter

pytestmark = pytest.mark.anyio

VIRTUAL = [
    pytest.param(
        ("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio-virtual-clock"
    )
]


def test_local_limiter_implements_the_protocol() -> None:
    """LocalLimiter is a Limiter, its leases are Leases."""
    assert isinstance(LocalLimiter(), Limiter)


async def test_at_most_limit_slots_and_fifo_order() -> None:
    """Three slots: three go at once, the rest wait and are served in arrival order."""
    limiter = LocalLimiter()
    held: list[Lease] = [await limiter.acquire("k", limit=3, hold=0.0) for _ in range(3)]
    order: list[int] = []

    async def waiter(i: int) -> None:
        lease = await limiter.acquire("k", limit=3, hold=0.0)
        order.append(i)
        held.append(lease)

    async with anyio.create_task_group() as tg:
        for i in range(4):
            tg.start_soon(waiter, i)
            await anyio.wait_all_tasks_blocked()
        assert order == []
        for i in range(4):
            await held[i].release()
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
async def test_exhausted_pauses_only_when_someone_else_shares_the_budget() -> None:
    """Remaining 0 with fewer slots held than the limit: the key pauses for `hold`."""
    limiter = LocalLimiter()
    full = [await limiter.acquire("mine", limit=2, hold=10.0) for _ in range(2)]
    await full[0].release(exhausted=True)  # we hold both slots: no surprise, no pause
    shared = await limiter.acquire("shared", limit=2, hold=10.0)
    await shared.release(exhausted=True)  # only 1 of 2 held, yet the server is full
    start = anyio.current_time()
    await limiter.acquire("shared", limit=2, hold=10.0)
    assert anyio.current_time() - start == pytest.approx(10.0)


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
    await lease.release()
    await lease.release()
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
