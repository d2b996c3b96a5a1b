"""The in-process limiter: window-exact slots, FIFO waiters, shared pauses, the server's word."""

from __future__ import annotations

import heapq
import logging
import math
from collections import deque

import anyio
from attrs import Factory, define

from .._parking import GONE, HANDED, Parked
from ._pause import pause_length

__all__ = ["LocalLimiter"]

logger = logging.getLogger("easify_async")


@define
class _Bucket:
    # Whether a caller holds the bucket's turn (it alone may wait for a slot); the
    # others wait in `queue` in arrival order: that queue is our fairness. Not an
    # anyio.Lock: each of its waiters holds a frame of the lock's (and on trio a
    # WouldBlock with its traceback); a `Parked` is one future (benchmarks/bench_tokens.py).
    held: bool = False
    queue: deque[Parked] = Factory(deque)
    in_flight: int = 0
    frees_at: list[float] = Factory(list)  # heap: when each cooling slot is free again
    paused_until: float = -math.inf
    changed: anyio.Event | None = None
    # The server's word: until `informed_until`, at most `credit` more slots go out.
    # Past it the bucket is cold and one request (the probe) goes first.
    informed_until: float = -math.inf
    credit: float = math.inf
    probing: bool = False

    def expire(self, now: float) -> None:
        while self.frees_at and self.frees_at[0] <= now:
            heapq.heappop(self.frees_at)

    @property
    def in_use(self) -> int:
        return self.in_flight + len(self.frees_at)

    def wake_at(self, now: float, limit: int) -> float | None:
        """``None`` when a slot can be taken now, else when to look again (inf: on a change)."""
        self.expire(now)
        if self.paused_until > now:
            return self.paused_until
        if self.in_use >= limit:
            return self.frees_at[0] if self.frees_at else math.inf
        if self.informed_until <= now:
            return math.inf if self.probing else None  # the probe's release notifies
        return None if self.credit > 0 else self.informed_until

    def take(self, now: float) -> bool:
        """Take a slot `wake_at` allowed; whether it is the cold bucket's probe."""
        self.in_flight += 1
        if self.informed_until <= now:
            self.probing = True
            return True
        self.credit -= 1
        return False

    def hear(self, now: float, hold: float, remaining: int | None) -> None:
        if self.informed_until <= now:
            # The reply was counted in a window open at most a period before now: that
            # window has closed by `now + hold`, and so has the word. Requests still in
            # flight may not be counted yet: they take from what is left.
            left = math.inf if remaining is None else remaining - self.in_flight
            self.informed_until, self.credit = now + hold, left
        elif remaining is not None:
            # The credit has counted every send since: alone, no later reply says less,
            # whatever order replies come in. One that does tells of others' use.
            self.credit = min(self.credit, remaining)

    def notify(self) -> None:
        if self.changed is not None:
            self.changed.set()
            self.changed = None

    def pass_turn(self) -> None:
        """Hand the turn to the first caller still waiting for it, else free it."""
        queue = self.queue
        while queue:
            if queue.popleft().hand():
                return
        self.held = False


@define
class _LocalLease:
    _bucket: _Bucket
    _hold: float
    _probe: bool
    _released: bool = False

    async def release(
        self, *, counted: bool = True, replied: bool = False, remaining: int | None = None
    ) -> None:
        if self._released:
            return
        self._released = True
        bucket = self._bucket
        now = anyio.current_time()
        bucket.in_flight -= 1
        if counted:
            heapq.heappush(bucket.frees_at, now + self._hold)
        if self._probe:
            bucket.probing = False
        if replied:
            bucket.hear(now, self._hold, remaining)
        bucket.notify()


async def _take_turn(bucket: _Bucket, key: str, limit: int, hold: float) -> _LocalLease:
    """Wait, holding ``bucket``'s turn, until a slot is free; take it."""
    logger.debug("waiting for a slot of %s", key)
    while True:
        now = anyio.current_time()
        wake_at = bucket.wake_at(now, limit)
        if wake_at is None:
            return _LocalLease(bucket, hold, bucket.take(now))
        changed = bucket.changed = anyio.Event()
        with anyio.move_on_after(wake_at - now):
            await changed.wait()


class LocalLimiter:
    """Rate-limit slots kept in this process's memory (the default).

    aiolimiter's leaky bucket is not used here: it admits ``2 * limit`` requests in the
    first period of a fixed window and frees capacity on a timer started at *send*, so
    under latency it trips the server's window (see `Limiter` for the semantics kept).

    Examples:
        >>> limiter = LocalLimiter()
        >>> # easify = AsyncEasify(limiter=limiter)  # share it between clients
    """

    def __init__(self) -> None:
        self._buckets: dict[str, _Bucket] = {}

    def __repr__(self) -> str:
        return f"<LocalLimiter keys={len(self._buckets)}>"

    def _bucket(self, key: str) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket()
        return bucket

    async def acquire(self, key: str, *, limit: int, hold: float) -> _LocalLease:
        """Wait, first come first served, for a slot of ``key``, and take it."""
        bucket = self._bucket(key)
        if not bucket.held:
            # Nobody queued: take a free slot at once, on the hot path.
            now = anyio.current_time()
            if bucket.wake_at(now, limit) is None:
                return _LocalLease(bucket, hold, bucket.take(now))
            bucket.held = True
        else:
            # The callers queued here hold this frame and a `Parked`, nothing more:
            # thousands may wait (benchmarks/bench_tokens.py).
            parked = Parked()
            bucket.queue.append(parked)
            try:
                await parked.wait()
            except BaseException:
                if parked.state == HANDED:  # the turn came as it was cancelled
                    bucket.pass_turn()
                else:
                    parked.state = GONE
                raise
        try:
            return await _take_turn(bucket, key, limit, hold)
        finally:
            bucket.pass_turn()

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for the next ``seconds`` (at most `MAX_PAUSE`)."""
        seconds = pause_length(seconds)
        bucket = self._bucket(key)
        now = anyio.current_time()
        bucket.paused_until = max(bucket.paused_until, now + seconds)
        bucket.informed_until = -math.inf  # the window after the pause is news to us
        bucket.notify()

    async def aclose(self) -> None:
        """Nothing to free: the slots live in memory."""
