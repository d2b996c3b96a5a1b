"""The in-process limiter: window-exact slots, FIFO waiters, shared pauses."""

from __future__ import annotations

import heapq
import logging
import math

import anyio
from attrs import Factory, define

__all__ = ["LocalLimiter"]

logger = logging.getLogger("easify_async")


@define
class _Bucket:
    # anyio's Lock wakes waiters in arrival order: that queue is our fairness.
    lock: anyio.Lock = Factory(anyio.Lock)
    in_flight: int = 0
    frees_at: list[float] = Factory(list)  # heap: when each cooling slot is free again
    paused_until: float = -math.inf
    changed: anyio.Event | None = None

    def expire(self, now: float) -> None:
        while self.frees_at and self.frees_at[0] <= now:
            heapq.heappop(self.frees_at)

    @property
    def in_use(self) -> int:
        return self.in_flight + len(self.frees_at)

    def notify(self) -> None:
        if self.changed is not None:
            self.changed.set()
            self.changed = None


@define
class _LocalLease:
    _bucket: _Bucket
    _limit: int
    _hold: float
    _released: bool = False

    async def release(self, *, counted: bool = True, exhausted: bool = False) -> None:
        if self._released:
            return
        self._released = True
        bucket = self._bucket
        now = anyio.current_time()
        bucket.expire(now)
        if exhausted and bucket.in_use < self._limit:
            bucket.paused_until = max(bucket.paused_until, now + self._hold)
        bucket.in_flight -= 1
        if counted:
            heapq.heappush(bucket.frees_at, now + self._hold)
        bucket.notify()


class LocalLimiter:
    """Rate-limit slots kept in this process's memory (the default).

    aiolimiter's leaky bucket is not used here: it admits ``2 * limit`` requests in the
    first period of a fixed window and frees capacity on a timer started at *send*, so
    under latency it trips the server's window (see `Limiter` for the semantics kept).

    Example:
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
        if not bucket.lock.locked():
            # Nobody queued: take a free slot without the lock's checkpoints, which are
            # most of this method's cost on the hot path.
            now = anyio.current_time()
            bucket.expire(now)
            if bucket.paused_until <= now and bucket.in_use < limit:
                bucket.in_flight += 1
                return _LocalLease(bucket, limit, hold)
        async with bucket.lock:
            logger.debug("waiting for a slot of %s", key)
            while True:
                now = anyio.current_time()
                bucket.expire(now)
                if bucket.paused_until > now:
                    wake_at = bucket.paused_until
                elif bucket.in_use < limit:
                    bucket.in_flight += 1
                    return _LocalLease(bucket, limit, hold)
                else:
                    wake_at = bucket.frees_at[0] if bucket.frees_at else math.inf
                changed = bucket.changed = anyio.Event()
                with anyio.move_on_after(wake_at - now):
                    await changed.wait()

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for the next ``seconds``."""
        bucket = self._bucket(key)
        bucket.paused_until = max(bucket.paused_until, anyio.current_time() + seconds)
        bucket.notify()

    async def aclose(self) -> None:
        """Nothing to free: the slots live in memory."""
