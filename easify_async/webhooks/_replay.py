"""Dropping replays: deliveries handled already, remembered for days in bounded memory.

A delivery is claimed before it is handled and confirmed after: the claim is a short
lease, so a delivery whose handling failed (or whose process died) gets in again once
the lease is over even when nobody could release it.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal, Protocol, runtime_checkable

from .._validation import check_seconds
from ..errors import ArgumentError
from ._events import EmailEvent, SmsEvent

__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_RETENTION",
    "Claim",
    "MemoryReplayGuard",
    "ReplayGuard",
    "check_lease",
    "check_retention",
    "event_key",
]

#: Seconds a guard keeps a handled key by default: a week.
DEFAULT_RETENTION = 7 * 24 * 3600.0
#: Seconds a claim holds a key while its delivery is handled, by default.
DEFAULT_LEASE = 300.0

#: What `ReplayGuard.claim` found: ``"new"`` (claimed, yours to handle), ``"processing"``
#: (another handling holds its lease) or ``"done"`` (handled already).
Claim = Literal["new", "processing", "done"]


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
    return check_seconds("retention", retention)


def check_lease(lease: float, retention: float) -> float:
    """``lease`` if it is a finite number of seconds above 0 and not above ``retention``."""
    lease = check_seconds("lease", lease)
    if lease > retention:
        raise ArgumentError("lease", f"must not be above the retention ({retention:g} s)")
    return lease


@runtime_checkable
class ReplayGuard(Protocol):
    """Remembers which deliveries were handled, and says since when it remembers all.

    Two phases: `claim` a key before handling its delivery, then `confirm` it once
    handled or `forget` it if handling failed. A claim is a lease: while it holds, a
    duplicate is told ``"processing"``; when it runs out unconfirmed (the release was
    lost, the process died) the key is new again, so Easify's retry is handled.

    A captured delivery can be replayed with a fresh ``X-Easify-Timestamp`` (the header
    is not signed), so the receivers also refuse events whose signed time is before
    `remembers_since`: a replay is either remembered or refused by its own time.
    Async so that a shared store (`RedisReplayGuard`) fits without blocking the loop.
    """

    async def claim(self, key: str) -> Claim:
        """Claim ``key`` for one lease if it is neither handled nor claimed; say which."""
        ...

    async def confirm(self, key: str) -> None:
        """``key``'s delivery was handled: remember it for the whole retention."""
        ...

    async def forget(self, key: str) -> None:
        """Release this guard's claim of ``key``: it was not handled, let a retry in now."""
        ...

    async def remembers_since(self) -> float:
        """UNIX time after which every key confirmed is still remembered."""
        ...


class MemoryReplayGuard:
    """A `ReplayGuard` in process memory: each handled key for ``retention``, at most
    ``max_entries`` of them.

    A flood beyond ``max_entries`` evicts the oldest handled keys early; `remembers_since`
    then moves up to the newest evicted key, so the receivers refuse events from before
    it instead of taking them for new. Within one process a claim runs without a pause,
    so two tasks never both claim a key.

    Args:
        max_entries: how many handled keys are held at most (about 200 bytes each).
        retention: seconds a handled key is kept, a week by default.
        lease: seconds a claim holds its key unconfirmed, 5 minutes by default.
        clock: UNIX seconds; injectable for tests.

    Raises:
        ArgumentError: ``max_entries`` below 1, or ``retention`` or ``lease`` not finite
            and above 0, or ``lease`` above ``retention``.

    Examples:
        >>> import anyio
        >>> guard = MemoryReplayGuard()
        >>> anyio.run(guard.claim, "sms:1:Delivered")
        'new'
        >>> anyio.run(guard.claim, "sms:1:Delivered")
        'processing'
        >>> anyio.run(guard.confirm, "sms:1:Delivered")
        >>> anyio.run(guard.claim, "sms:1:Delivered")
        'done'
    """

    def __init__(
        self,
        *,
        max_entries: int = 100_000,
        retention: float = DEFAULT_RETENTION,
        lease: float = DEFAULT_LEASE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ArgumentError("max_entries", f"must be an integer above 0, not {max_entries!r}")
        # key -> when it was confirmed, oldest first: with one retention, expiry order.
        self._done: OrderedDict[str, float] = OrderedDict()
        # key -> when its lease ends, soonest first (one lease length for all).
        self._leases: OrderedDict[str, float] = OrderedDict()
        self._max_entries = max_entries
        self._retention = check_retention(retention)
        self._lease = check_lease(lease, self._retention)
        self._clock = clock
        self._evicted_up_to = -math.inf

    def __repr__(self) -> str:
        return (
            f"<MemoryReplayGuard {len(self._done)}/{self._max_entries} keys,"
            f" {len(self._leases)} claimed, retention {self._retention:g} s,"
            f" lease {self._lease:g} s>"
        )

    async def claim(self, key: str) -> Claim:
        """Claim ``key`` for one lease if it is neither handled nor claimed; say which."""
        now = self._expire()
        if key in self._done:
            return "done"
        if key in self._leases:
            return "processing"
        self._leases[key] = now + self._lease
        return "new"

    async def confirm(self, key: str) -> None:
        """``key``'s delivery was handled: remember it for the whole retention."""
        now = self._expire()
        self._leases.pop(key, None)
        done = self._done
        done.pop(key, None)  # confirmed again: kept from now, in expiry order
        while len(done) >= self._max_entries:
            _, confirmed = done.popitem(last=False)
            self._evicted_up_to = max(self._evicted_up_to, confirmed)
        done[key] = now

    async def forget(self, key: str) -> None:
        """Release the claim of ``key``: it was not handled, let a retry in now.

        A key confirmed meanwhile (by a handling that outlived another's lease) stays.
        """
        self._leases.pop(key, None)

    async def remembers_since(self) -> float:
        """UNIX time after which every key confirmed is still remembered."""
        return max(self._clock() - self._retention, self._evicted_up_to)

    def _expire(self) -> float:
        now = self._clock()
        done, leases = self._done, self._leases
        while done and next(iter(done.values())) + self._retention <= now:
            done.popitem(last=False)
        while leases and next(iter(leases.values())) <= now:
            leases.popitem(last=False)
        return now
