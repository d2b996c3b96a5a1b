"""Dropping replays: deliveries already seen within the timestamp tolerance."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ._events import EmailEvent, SmsEvent

__all__ = ["MemoryReplayGuard", "ReplayGuard", "event_key"]


def event_key(event: SmsEvent | EmailEvent) -> str:
    """What identifies a delivery: ``sms_id`` + status, or SendGrid's ``sg_event_id``."""
    if isinstance(event, SmsEvent):
        return f"sms:{event.sms_id}:{event.status.value}"
    if event.sg_event_id:
        return f"email:{event.sg_event_id}"
    # No sg_event_id (not documented as always present): what the event says instead.
    return f"email:{event.email_item_id or event.email_id}:{event.event.value}:{event.timestamp}"


@runtime_checkable
class ReplayGuard(Protocol):
    """Remembers which deliveries were seen, for at least a given time (a pluggable store).

    Async so that a shared store (Redis ``SET key 1 NX PX ttl`` / ``DEL key``) fits
    without blocking the event loop; `MemoryReplayGuard` is the in-process default.
    """

    async def first_time(self, key: str, *, ttl: float) -> bool:
        """True the first time ``key`` is offered within ``ttl`` seconds, then False."""
        ...

    async def forget(self, key: str) -> None:
        """Drop ``key``: its delivery was not handled, so a retry must get through."""
        ...


class MemoryReplayGuard:
    """A `ReplayGuard` in process memory, bounded by ``max_entries`` (oldest dropped first).

    Args:
        max_entries: how many keys are held at most; a flood beyond it evicts the oldest.
        clock: seconds, monotonic; injectable for tests.

    Example:
        >>> import anyio
        >>> guard = MemoryReplayGuard()
        >>> anyio.run(lambda: guard.first_time("sms:1:Delivered", ttl=1800))
        True
        >>> anyio.run(lambda: guard.first_time("sms:1:Delivered", ttl=1800))
        False
    """

    def __init__(
        self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        # key -> expiry, in insertion order: with one ttl per guard that is expiry order.
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    async def first_time(self, key: str, *, ttl: float) -> bool:
        """True the first time ``key`` is offered within ``ttl`` seconds, then False."""
        now = self._clock()
        seen = self._seen
        while seen and (next(iter(seen.values())) <= now or len(seen) >= self._max_entries):
            seen.popitem(last=False)
        expires = seen.get(key)
        if expires is not None and expires > now:
            return False
        seen[key] = now + ttl
        seen.move_to_end(key)
        return True

    async def forget(self, key: str) -> None:
        """Drop ``key``: its delivery was not handled, so a retry must get through."""
        self._seen.pop(key, None)
