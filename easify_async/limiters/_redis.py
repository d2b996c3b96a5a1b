"""A limiter whose slots live in Redis, shared by every process that uses one token."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from ..errors import LimiterUnavailableError

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["RedisLimiter"]

logger = logging.getLogger("easify_async")

# Time is Redis's own (TIME), in ms: hosts' clocks differ, the server's is one clock.
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)"

# KEYS: slots (zset member -> ms when free), paused (ms). ARGV: limit, in-flight ms, member,
# hold ms. Returns {1, 0} when the slot is taken, else {0, ms to wait before asking again}.
_ACQUIRE = f"""
{_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {{0, paused - now}} end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
    local in_flight = tonumber(ARGV[2])
    redis.call('ZADD', KEYS[1], now + in_flight, ARGV[3])
    -- Only ever lengthened: a sharer with a shorter hold must not expire others' slots.
    if redis.call('PTTL', KEYS[1]) < in_flight then redis.call('PEXPIRE', KEYS[1], in_flight) end
    return {{1, 0}}
end
-- A slot in flight frees no sooner than `hold` after its release, which is not yet.
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {{0, math.min(tonumber(first[2]) - now, tonumber(ARGV[4]))}}
"""

# KEYS: slots, paused. ARGV: member, hold ms, counted (1/0), exhausted (1/0), limit, channel.
_RELEASE = f"""
{_NOW}
local hold = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[4] == '1' and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[5]) then
    local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
    if now + hold > paused then redis.call('SET', KEYS[2], now + hold, 'PX', hold) end
end
if ARGV[3] == '1' then
    redis.call('ZADD', KEYS[1], now + hold, ARGV[1])
    if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
else
    -- Free at once: the one case a sleeping waiter's deadline does not foresee.
    redis.call('ZREM', KEYS[1], ARGV[1])
    redis.call('PUBLISH', ARGV[6], '1')
end
return 1
"""

# KEYS: paused. ARGV: ms.
_PAUSE = f"""
{_NOW}
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = now + tonumber(ARGV[1])
if until_ms > paused then redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1])) end
return 1
"""


class RedisLimiter:
    """Rate-limit slots in Redis, so every process and machine using a token shares its budget.

    The same semantics as `LocalLimiter` (see `Limiter`), each operation one Lua script
    timed by Redis's clock. Keys hold the client's token hash, never the token. A slot
    in flight expires after twice its hold, so a process that dies holding slots blocks
    them for about one period only. Waiters do not poll: Redis tells them when a slot can
    be free at the earliest (never later than one hold away), and a slot freed at once
    (a 429) wakes them through pub/sub. Within a process they are served in order.

    Needs asyncio (redis-py's asyncio client); under trio every call raises `RuntimeError`.

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed). On a cluster, all keys of one token and endpoint share
            a hash tag, so each script runs on one node.
        prefix: prepended to every key and channel.

    Raises:
        LimiterUnavailableError: from `acquire` and `pause` when Redis cannot be reached.

    Example:
        >>> limiter = RedisLimiter("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> easify = AsyncEasify(limiter=limiter)  # doctest: +SKIP
    """

    def __init__(
        self, url_or_client: str | Redis | RedisCluster, *, prefix: str = "easify:"
    ) -> None:
        from redis.asyncio import Redis

        if isinstance(url_or_client, str):
            self._redis: Redis | RedisCluster = Redis.from_url(url_or_client)
            self._owned = True
        else:
            self._redis = url_or_client
            self._owned = False
        self._prefix = prefix
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._pause = self._redis.register_script(_PAUSE)
        self._locks: dict[str, anyio.Lock] = {}

    def __repr__(self) -> str:
        return f"<RedisLimiter prefix={self._prefix!r}>"

    def _keys(self, key: str) -> list[str]:
        # One hash tag for both keys: a Redis Cluster refuses a script whose keys live in
        # different slots.
        return [f"{self._prefix}{{{key}}}:slots", f"{self._prefix}{{{key}}}:paused"]

    def _channel(self, key: str) -> str:
        return f"{self._prefix}{{{key}}}:freed"

    async def acquire(self, key: str, *, limit: int, hold: float) -> _RedisLease:
        """Wait, in order within this process, for a slot of ``key`` and take it."""
        _require_asyncio()
        member = uuid.uuid4().hex
        hold_ms = max(1, round(hold * 1000))
        keys = self._keys(key)

        async def try_take() -> float | None:
            taken, wait_ms = await self._take(keys, [limit, 2 * hold_ms, member, hold_ms])
            return None if taken else max(int(wait_ms), 1) / 1000

        lock = self._locks.setdefault(key, anyio.Lock())
        async with lock:
            wait = await try_take()
            if wait is not None:
                logger.debug("waiting for a slot of %s", key)
                # Subscribed before asking again, so that no wake-up falls in between.
                async with self._wakeups(key) as woken:
                    while wait is not None:
                        await woken(wait)
                        wait = await try_take()
        return _RedisLease(self, key, member, limit, hold_ms)

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for ``seconds``, in every process."""
        _require_asyncio()
        await self._call(self._pause, self._keys(key)[1:], [max(1, round(seconds * 1000))])

    async def aclose(self) -> None:
        """Close the connection pool if this limiter made it."""
        if self._owned:
            await self._redis.aclose()

    async def _take(self, keys: list[str], args: list[Any]) -> Any:
        try:
            return await self._call(self._acquire, keys, args)
        except BaseException:
            # Cancelled (or cut off) after Redis may have run the script: the slot would be
            # held for two holds by nobody. Give it back; if Redis is gone, it expires.
            with anyio.CancelScope(shield=True), anyio.move_on_after(1):
                try:
                    await self._redis.zrem(keys[0], args[2])
                except _redis_errors() as exc:
                    logger.debug("could not give back an unreturned slot: %s", exc)
            raise

    @asynccontextmanager
    async def _wakeups(self, key: str) -> AsyncIterator[Callable[[float], Awaitable[None]]]:
        """Yield ``woken(seconds)``: sleep that long, or less if a slot of ``key`` frees."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self._channel(key))

            async def woken(seconds: float) -> None:
                # get_message may return early (a subscription notice): the caller asks
                # Redis again, which is only one more call.
                await pubsub.get_message(timeout=seconds)

            yield woken
        except _redis_errors() as exc:
            raise LimiterUnavailableError(f"the Redis limiter is unreachable: {exc}") from exc
        finally:
            with anyio.CancelScope(shield=True), anyio.move_on_after(1):
                try:
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                except _redis_errors():
                    pass  # the connection is gone already

    async def _call(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        try:
            return await script(keys=keys, args=args)
        except _redis_errors() as exc:
            raise LimiterUnavailableError(f"the Redis limiter is unreachable: {exc}") from exc


class _RedisLease:
    def __init__(
        self, limiter: RedisLimiter, key: str, member: str, limit: int, hold_ms: int
    ) -> None:
        self._limiter = limiter
        self._key = key
        self._member = member
        self._limit = limit
        self._hold_ms = hold_ms
        self._released = False

    async def release(self, *, counted: bool = True, exhausted: bool = False) -> None:
        if self._released:
            return
        self._released = True
        limiter = self._limiter
        args = [self._member, self._hold_ms, int(counted), int(exhausted), self._limit]
        try:
            await limiter._call(
                limiter._release, limiter._keys(self._key), [*args, limiter._channel(self._key)]
            )
        except LimiterUnavailableError as exc:
            # The request is over and may have been sent: failing it now would invite a
            # resend. The slot expires by itself (twice its hold), the safe direction.
            logger.warning("could not release a rate-limit slot: %s", exc)


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


def _require_asyncio() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            "RedisLimiter needs asyncio: redis-py's client does not run on trio"
        ) from None
