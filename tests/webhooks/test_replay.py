"""The in-memory replay guard and the SMS status tracker."""

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


async def test_keys_are_kept_for_days_not_for_the_tolerance() -> None:
    """A week by default: a key is still known 6 days on, new again once the week is over."""
    clock = Clock()
    guard = MemoryReplayGuard(clock=clock)
    assert isinstance(guard, ReplayGuard)
    assert await guard.first_time("a")
    clock.now += 6 * DAY  # far past the old 2 x tolerance (30 minutes)
    assert not await guard.first_time("a")
    assert await guard.remembers_since() == clock.now - 7 * DAY
    clock.now += 1 * DAY
    assert await guard.first_time("a")


async def test_a_flood_past_max_entries_moves_remembers_since_up() -> None:
    """Evicted early, a key is no longer vouched for: remembers_since moves past it."""
    clock = Clock()
    start = clock.now
    guard = MemoryReplayGuard(max_entries=3, retention=DAY, clock=clock)
    for key in "abc":
        clock.now += 1
        assert await guard.first_time(key)
    assert await guard.remembers_since() == clock.now - DAY
    clock.now += 1
    assert not await guard.first_time("a")  # looked up before anything is evicted
    assert await guard.first_time("d")  # evicts "a", first seen at start + 1
    assert await guard.remembers_since() == start + 1
    assert not await guard.first_time("b")
    assert await guard.first_time("a")  # forgotten: the receivers refuse it by its time


async def test_a_forgotten_key_is_new_again() -> None:
    """forget() releases a key at once (the delivery was not handled); unknown keys are fine."""
    guard = MemoryReplayGuard()
    assert await guard.first_time("a")
    await guard.forget("a")
    await guard.forget("never-seen")
    assert await guard.first_time("a")


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"retention": math.nan}, id="retention-nan"),
        pytest.param({"retention": 0}, id="retention-zero"),
        pytest.param({"retention": math.inf}, id="retention-inf"),
        pytest.param({"max_entries": 0}, id="no-entries"),
        pytest.param({"max_entries": 1.5}, id="entries-not-whole"),
    ],
)
async def test_a_guard_with_no_usable_memory_is_refused(options: dict[str, float]) -> None:
    """A retention that is not finite and positive, or no room for a key: ArgumentError."""
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
