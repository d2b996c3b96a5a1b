"""The replay guard and the SMS status tracker."""

from __future__ import annotations

import pytest

from easify_async import SmsStatus
from easify_async.webhooks import MemoryReplayGuard, ReplayGuard, StatusTracker

pytestmark = pytest.mark.anyio


async def test_the_replay_guard_remembers_for_its_ttl() -> None:
    """A key is new once; after its ttl it is new again; the store stays bounded."""
    now = [0.0]
    guard = MemoryReplayGuard(max_entries=3, clock=lambda: now[0])
    assert isinstance(guard, ReplayGuard)
    assert await guard.first_time("a", ttl=10)
    assert not await guard.first_time("a", ttl=10)
    now[0] = 10.5
    assert await guard.first_time("a", ttl=10)
    for key in "bcde":
        await guard.first_time(key, ttl=100)
    assert await guard.first_time("b", ttl=100)  # evicted as the oldest beyond max_entries


async def test_a_forgotten_key_is_new_again() -> None:
    """forget() releases a key at once (the delivery was not handled); unknown keys are fine."""
    guard = MemoryReplayGuard()
    assert await guard.first_time("a", ttl=10)
    await guard.forget("a")
    await guard.forget("never-seen")
    assert await guard.first_time("a", ttl=10)


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
