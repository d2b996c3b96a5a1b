"""Dropping replays: deliveries already seen, remembered for days in bounded memory."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..errors import ArgumentError
from ._arguments import seconds
from ._events import EmailEvent, SmsEvent

__all__ = ["DEFAULT_RETENTION", "MemoryReplayGuard", "ReplayGuard", "check_retention", "event_key"]

#: Seconds a guard keeps a key by default: a week.
DEFAULT_RETENTION = 7 * 24 * 3600.0


def event_key(event: SmsEvent | EmailEvent) -> str:
    """What identifies a delivery: ``sms_id`` + status, or SendGrid's ``sg_event_id``."""
    if isinstance(event, SmsEvent):
        return f"sms:{event.sms_id}:{event.status.value}"
    if event.sg_event_id:
        return f"email:{event.sg_event_id}"
    # No sg_event_id (not documented as always present): what the event says instead.
    return f"email:{event.email_item_id or event.email_id}:{event.event.value}:{event.timestamp}"


def check_retention(retention: float) -> float:
    """``retention`` if it is a finite number of seconds above 0."""
    return seconds("retention", retention)


@runtime_checkable
class ReplayGuard(Protocol):
    """Remembers which deliveries were handled, and says since when it remembers all.

    A captured delivery can be replayed with a fresh ``X-Easify-Timestamp`` (the header
    is not signed), so the receivers also refuse events whose signed time is before
    `remembers_since`: a replay is either remembered or refused by its own time.
    Async so that a shared store (`RedisReplayGuard`) fits without blocking the loop.
    """

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered, False while it is remembered."""
        ...

    async def forget(self, key: str) -> None:
        """Drop ``key``: its delivery was not handled, so a retry must get through."""
        ...

    async def remembers_since(self) -> float:
        """UNIX time after which every key offered is still remembered."""
        ...


class MemoryReplayGuard:
    """A `ReplayGuard` in process memory: each key for ``retention``, at most ``max_entries``.

    A flood beyond ``max_entries`` evicts the oldest keys early; `remembers_since` then
    moves up to the newest evicted key, so the receivers refuse events from before it
    instead of taking them for new. Within one process a claim runs without a pause, so
    two tasks never both see a key for the first time.

    Args:
        max_entries: how many keys are held at most (about 200 bytes each).
        retention: seconds a key is kept, a week by default.
        clock: UNIX seconds; injectable for tests.

    Raises:
        ArgumentError: ``max_entries`` below 1, or ``retention`` not finite and above 0.

    Example:
        >>> import anyio
        >>> guard = MemoryReplayGuard()
        >>> anyio.run(guard.first_time, "sms:1:Delivered")
        True
        >>> anyio.run(guard.first_time, "sms:1:Delivered")
        False
    """

    def __init__(
        self,
        *,
        max_entries: int = 100_000,
        retention: float = DEFAULT_RETENTION,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ArgumentError("max_entries", f"must be an integer above 0, not {max_entries!r}")
        # key -> when it was first seen, oldest first: with one retention, expiry order.
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_entries = max_entries
        self._retention = check_retention(retention)
        self._clock = clock
        self._evicted_up_to = -math.inf

    def __repr__(self) -> str:
        return (
            f"<MemoryReplayGuard {len(self._seen)}/{self._max_entries} keys,"
            f" retention {self._retention:g} s>"
        )

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered, False while it is remembered."""
        now = self._clock()
        seen = self._seen
        expired = now - self._retention
        while seen and next(iter(seen.values())) <= expired:
            seen.popitem(last=False)
        # Looked up before any eviction: evicting this very key would let its replay in.
        if key in seen:
            return False
        while len(seen) >= self._max_entries:
            _, first_seen = seen.popitem(last=False)
            self._evicted_up_to = max(self._evicted_up_to, first_seen)
        seen[key] = now
        return True

    async def forget(self, key: str) -> None:
        """Drop ``key``: its delivery was not handled, so a retry must get through."""
        self._seen.pop(key, None)

    async def remembers_since(self) -> float:
        """UNIX time after which every key offered is still remembered."""
        return max(self._clock() - self._retention, self._evicted_up_to)
