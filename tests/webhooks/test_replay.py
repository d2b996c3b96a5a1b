"""The in-memory replay guard (claims, leases, confirms) and the SMS status tracker."""

from __future__ import annotations

import math

import pytest

from easify_async import ArgumentError, SmsStatus
from easify_async.webhooks import MemoryReplayGuard, ReplayGuard, StatusTracker

pytestmark = pytest.mark.anyio

DAY = 86_400.0


class Clock:
    """UNIX seconds that the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_734_081_000.0

    def __call__(self) -> float:
        return self.now


async def handled(guard: MemoryReplayGuard, key: str) -> None:
    """Claim ``key`` and confirm it, as a receiver does around a handler that succeeds."""
    assert await guard.claim(key) == "new"
    await guard.confirm(key)


async def test_keys_are_kept_for_days_not_for_the_tolerance() -> None:
    """A week by default: a handled key is still known 6 days on, new once the week is over."""
    clock = Clock()
    guard = MemoryReplayGuard(clock=clock)
    assert isinstance(guard, ReplayGuard)
    await handled(guard, "a")
    clock.now += 6 * DAY  # far past the old 2 x tolerance (30 minutes)
    assert await guard.claim("a") == "done"
    assert await guard.remembers_since() == clock.now - 7 * DAY
    clock.now += 1 * DAY
    assert await guard.claim("a") == "new"


async def test_a_flood_past_max_entries_moves_remembers_since_up() -> None:
    """Evicted early, a key is no longer vouched for: remembers_since moves past it."""
    clock = Clock()
    start = clock.now
    guard = MemoryReplayGuard(max_entries=3, retention=DAY, clock=clock)
    for key in "abc":
        clock.now += 1
        await handled(guard, key)
    assert await guard.remembers_since() == clock.now - DAY
    clock.now += 1
    assert await guard.claim("a") == "done"  # a claim evicts nothing
    await handled(guard, "d")  # evicts "a", confirmed at start + 1
    assert await guard.remembers_since() == start + 1
    assert await guard.claim("b") == "done"
    assert await guard.claim("a") == "new"  # forgotten: the receivers refuse it by its time


async def test_a_claim_refuses_duplicates_until_its_lease_runs_out() -> None:
    """Claimed, not confirmed: "processing" for the lease; then new (the handler died)."""
    clock = Clock()
    guard = MemoryReplayGuard(lease=60, clock=clock)
    assert await guard.claim("a") == "new"
    clock.now += 59
    assert await guard.claim("a") == "processing"
    assert await guard.remembers_since() == clock.now - 7 * DAY  # a lease vouches for nothing
    clock.now += 1
    assert await guard.claim("a") == "new"  # the retry of a crashed handling gets in
    await guard.confirm("a")
    clock.now += 6 * DAY
    assert await guard.claim("a") == "done"  # kept from its confirm, not cut to the lease


async def test_a_forgotten_claim_is_new_again_but_a_confirmed_key_stays() -> None:
    """forget() releases a claim at once; it never undoes a confirm; unknown keys are fine."""
    clock = Clock()
    guard = MemoryReplayGuard(lease=60, clock=clock)
    assert await guard.claim("a") == "new"
    await guard.forget("a")
    await guard.forget("never-seen")
    assert await guard.claim("a") == "new"
    clock.now += 60  # this handling outlives its lease: a retry is claimed and handled
    assert await guard.claim("a") == "new"
    await guard.confirm("a")
    await guard.forget("a")  # the slow first handling fails after all
    assert await guard.claim("a") == "done"


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"retention": math.nan}, id="retention-nan"),
        pytest.param({"retention": 0}, id="retention-zero"),
        pytest.param({"retention": math.inf}, id="retention-inf"),
        pytest.param({"lease": math.nan}, id="lease-nan"),
        pytest.param({"lease": 0}, id="lease-zero"),
        pytest.param({"lease": 2 * DAY, "retention": DAY}, id="lease-above-retention"),
        pytest.param({"max_entries": 0}, id="no-entries"),
        pytest.param({"max_entries": 1.5}, id="entries-not-whole"),
    ],
)
async def test_a_guard_with_no_usable_memory_is_refused(options: dict[str, float]) -> None:
    """A retention or lease not finite and positive (or a lease above the retention), or
    no room for a key: ArgumentError."""
    with pytest.raises(ArgumentError):
        MemoryReplayGuard(**options)  # type: ignore[arg-type]


def test_the_status_tracker_never_goes_backwards() -> None:
    """Out of order: a late Pending or Success never replaces Delivered."""
    tracker = StatusTracker()
    assert tracker.update("1", SmsStatus.PENDING) is SmsStatus.PENDING
    assert tracker.update("1", SmsStatus.DELIVERED) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.PENDING) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.SUCCESS) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.FAILED) is SmsStatus.DELIVERED
    assert tracker.update("2", SmsStatus.SCHEDULED) is SmsStatus.SCHEDULED
    assert tracker.update("2", SmsStatus("Queued")).value == "Queued"
    assert tracker.update("2", SmsStatus.PENDING).value == "Queued"
    assert tracker.update("2", SmsStatus.UNDELIVERED) is SmsStatus.UNDELIVERED
    assert (tracker.get("3"), len(tracker)) == (None, 2)
