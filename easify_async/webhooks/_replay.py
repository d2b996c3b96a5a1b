"""Dropping replays, and merging SMS statuses that arrive out of order."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..models import SmsStatus
from ._events import EmailEvent, SmsEvent

__all__ = ["MemoryReplayGuard", "ReplayGuard", "StatusTracker", "event_key"]


def event_key(event: SmsEvent | EmailEvent) -> str:
    """What identifies a delivery: ``sms_id`` + status, or SendGrid's ``sg_event_id``."""
    if isinstance(event, SmsEvent):
        return f"sms:{event.sms_id}:{event.status.value}"
    if event.sg_event_id:
        return f"email:{event.sg_event_id}"
    return f"email:{event.email_item_id or event.email_id}:{event.event.value}:{event.timestamp}"


@runtime_checkable
class ReplayGuard(Protocol):
    """Remembers what was seen, for at least the timestamp tolerance (pluggable store)."""

    def first_time(self, key: str, *, ttl: float) -> bool:
        """True the first time ``key`` is offered within ``ttl`` seconds, then False."""
        ...


class MemoryReplayGuard:
    """A `ReplayGuard` in process memory, bounded by ``max_entries`` (oldest dropped first).

    A replay outside the timestamp tolerance is refused by the timestamp check anyway, so
    entries need to live only that long.
    """

    def __init__(
        self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    def first_time(self, key: str, *, ttl: float) -> bool:
        """True the first time ``key`` is offered within ``ttl`` seconds, then False."""
        now = self._clock()
        while self._seen and (
            next(iter(self._seen.values())) <= now or len(self._seen) >= self._max_entries
        ):
            self._seen.popitem(last=False)
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + ttl
        self._seen.move_to_end(key)
        return True


# A final status is never replaced by an earlier stage; among finals the first one stands.
_RANK = {
    SmsStatus.SCHEDULED: 0,
    SmsStatus.PENDING: 1,
    SmsStatus.SUCCESS: 2,
    SmsStatus.DELIVERED: 3,
    SmsStatus.UNDELIVERED: 3,
    SmsStatus.FAILED: 3,
}


class StatusTracker:
    """The latest known status of each SMS, merged monotonically from webhook events.

    Example:
        >>> tracker = StatusTracker()
        >>> tracker.update("1", SmsStatus.DELIVERED)
        <SmsStatus.DELIVERED: 'Delivered'>
        >>> tracker.update("1", SmsStatus.PENDING)  # late and out of order: ignored
        <SmsStatus.DELIVERED: 'Delivered'>
    """

    def __init__(self) -> None:
        self._status: dict[str, SmsStatus] = {}

    def update(self, sms_id: str, status: SmsStatus) -> SmsStatus:
        """Merge ``status`` in; returns the status now held for ``sms_id``."""
        current = self._status.get(sms_id)
        rank = _RANK.get(status, 2)  # an unknown status: between pending and final
        if current is None or rank > _RANK.get(current, 2):
            self._status[sms_id] = status
            return status
        return current

    def get(self, sms_id: str) -> SmsStatus | None:
        """The status held for ``sms_id``, if any."""
        return self._status.get(sms_id)
