"""A limiter whose slots live in Redis, shared by every process that uses one token."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from .._redis_client import client_of
from ..errors import LimiterUnavailableError
from ._pause import pause_length

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["RedisLimiter"]

logger = logging.getLogger("easify_async")

# Time is Redis's own (TIME), in ms: hosts' clocks differ, the server's is one clock.
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)"

# Credit after a reply that does not say what is left: more than any limit, so only
# `limit` binds.
_UNSAID = 1_000_000_000

# The keys of one token and endpoint, in this order in every script (see `_keys`): slots
# (zset: member -> ms when free), paused (ms), flight (zset: members in flight -> ms when
# they expire), credit (slots the server's word still allows; gone when that word is stale),
# probe (the member of a cold key's one request out).

# ARGV: limit, in-flight ms, member, hold ms. Returns {1, 0} when the slot is taken, else
# {0, ms to wait before asking again}.
_ACQUIRE = f"""
{_NOW}
local limit, in_flight, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {{0, paused - now}} end
if redis.call('ZCARD', KEYS[1]) >= limit then
    -- A slot in flight frees no sooner than `hold` after its release, which is not yet.
    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {{0, math.min(tonumber(first[2]) - now, hold)}}
end
local credit = redis.call('GET', KEYS[4])
if not credit then
    -- Cold: one request goes first and its reply sizes the burst; a dead prober's
    -- probe expires like its slot.
    local probing = redis.call('PTTL', KEYS[5])
    if probing > 0 then return {{0, math.min(probing, hold)}} end
    redis.call('SET', KEYS[5], ARGV[3], 'PX', in_flight)
elseif tonumber(credit) <= 0 then
    return {{0, math.max(redis.call('PTTL', KEYS[4]), 1)}}
else
    redis.call('DECR', KEYS[4])
end
for _, held in ipairs({{KEYS[1], KEYS[3]}}) do
    redis.call('ZADD', held, now + in_flight, ARGV[3])
    -- Only ever lengthened: a sharer with a shorter hold must not expire others' slots.
    if redis.call('PTTL', held) < in_flight then redis.call('PEXPIRE', held, in_flight) end
end
return {{1, 0}}
"""

# ARGV: member, hold ms, counted (1/0), replied (1/0), remaining ('' if unsaid), channel.
_RELEASE = f"""
{_NOW}
local hold = tonumber(ARGV[2])
local wake = ARGV[3] ~= '1'
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[5]) == ARGV[1] then
    redis.call('DEL', KEYS[5])
    wake = true
end
local credit = redis.call('GET', KEYS[4])
if ARGV[4] == '1' and not credit then
    -- The reply was counted in a window open at most a period before now: that window
    -- has closed a hold from now, and so has the word. Requests still in flight may not
    -- be counted yet: they take from what is left.
    local left = {_UNSAID}
    if ARGV[5] ~= '' then left = tonumber(ARGV[5]) - redis.call('ZCARD', KEYS[3]) end
    redis.call('SET', KEYS[4], left, 'PX', hold)
elseif ARGV[4] == '1' and ARGV[5] ~= '' and tonumber(ARGV[5]) < tonumber(credit) then
    -- The credit has counted every send since: alone, no later reply says less, whatever
    -- order replies come in. One that does tells of others' use.
    redis.call('SET', KEYS[4], ARGV[5], 'KEEPTTL')
end
if ARGV[3] == '1' then
    redis.call('ZADD', KEYS[1], now + hold, ARGV[1])
    if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
else
    redis.call('ZREM', KEYS[1], ARGV[1])
end
-- Sleeping waiters foresee a slot's hold, not a slot freed at once or a probe's reply.
if wake then redis.call('PUBLISH', ARGV[6], '1') end
return 1
"""

# A cancelled acquire's member, which the script may or may not have added. ARGV: member,
# channel.
_FORGET = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[5]) == ARGV[1] then
    redis.call('DEL', KEYS[5])
    redis.call('PUBLISH', ARGV[2], '1')
end
return 1
"""

# KEYS: paused, credit. ARGV: ms. The word on the window before the pause is void after it.
_PAUSE = f"""
{_NOW}
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = now + tonumber(ARGV[1])
if until_ms > paused then redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1])) end
redis.call('DEL', KEYS[2])
return 1
"""


class RedisLimiter:
    """Rate-limit slots in Redis, so every process and machine using a token shares its budget.

    The same semantics as `LocalLimiter` (see `Limiter`), each operation one Lua script
    timed by Redis's clock. Keys hold the client's token hash, never the token. A slot
    in flight expires after twice its hold, so a process that dies holding slots blocks
    them for about one period only. The server's word is shared too: a cold key lets one
    request go first in all processes, and the credit its reply gives is spent by all.
    Waiters do not poll: Redis tells them when a slot can be free at the earliest (never
    later than one hold away), and a slot freed at once (a 429) or a probe's end wakes
    them through pub/sub. Within a process they are served in order.

    Needs asyncio (redis-py's asyncio client); under trio every call raises `RuntimeError`.

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed). On a cluster, all keys of one token and endpoint share
            a hash tag, so each script runs on one node.
        prefix: prepended to every key and channel.

    Raises:
        LimiterUnavailableError: from `acquire` when Redis fails in any way (unreachable,
            a read-only replica after a failover, a script refused, a timeout): nothing
            has been sent. Afterwards, a failed `Lease.release` or `pause` is logged
            instead, and the slot expires by itself.

    Examples:
        >>> limiter = RedisLimiter("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> easify = AsyncEasify(limiter=limiter)  # doctest: +SKIP
    """

    def __init__(
        self, url_or_client: str | Redis | RedisCluster, *, prefix: str = "easify:"
    ) -> None:
        self._redis, self._owned = client_of(url_or_client, part="RedisLimiter")
        self._prefix = prefix
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._forget = self._redis.register_script(_FORGET)
        self._pause = self._redis.register_script(_PAUSE)
        self._locks: dict[str, anyio.Lock] = {}

    def __repr__(self) -> str:
        return f"<RedisLimiter prefix={self._prefix!r}>"

    def _keys(self, key: str) -> list[str]:
        # One hash tag for all keys: a Redis Cluster refuses a script whose keys live in
        # different slots.
        tagged = f"{self._prefix}{{{key}}}"
        return [f"{tagged}:{name}" for name in ("slots", "paused", "flight", "credit", "probe")]

    def _channel(self, key: str) -> str:
        return f"{self._prefix}{{{key}}}:freed"

    async def acquire(self, key: str, *, limit: int, hold: float) -> _RedisLease:
        """Wait, in order within this process, for a slot of ``key`` and take it."""
        _require_asyncio()
        member = uuid.uuid4().hex
        hold_ms = max(1, round(hold * 1000))

        async def try_take() -> float | None:
            taken, wait_ms = await self._take(key, [limit, 2 * hold_ms, member, hold_ms])
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
        return _RedisLease(self, key, member, hold_ms)

    async def pause(self, key: str, seconds: float) -> None:
        """Hand out no slot of ``key`` for ``seconds`` (at most `MAX_PAUSE`), in every process."""
        _require_asyncio()
        pause_ms = round(pause_length(seconds) * 1000)
        keys = self._keys(key)
        try:
            await self._call(self._pause, [keys[1], keys[3]], [max(pause_ms, 1)])
        except LimiterUnavailableError as exc:
            # It follows a reply: the next acquire reports an outage before anything is sent.
            logger.warning("could not pause %s: %s", key, exc)

    async def aclose(self) -> None:
        """Close the connection pool if this limiter made it."""
        if self._owned:
            await self._redis.aclose()

    async def _take(self, key: str, args: list[Any]) -> Any:
        keys = self._keys(key)
        try:
            return await self._call(self._acquire, keys, args)
        except BaseException:
            # Cancelled (or cut off) after Redis may have run the script: the slot (and the
            # probe) would be held for two holds by nobody. Give them back; if Redis is
            # gone, they expire.
            with anyio.CancelScope(shield=True), anyio.move_on_after(1):
                try:
                    await self._forget(keys=keys, args=[args[2], self._channel(key)])
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
            raise LimiterUnavailableError(f"the Redis limiter failed: {exc!r}") from exc
        finally:
            with anyio.CancelScope(shield=True), anyio.move_on_after(1):
                try:
                    # redis 8.0 and 8.1 (the last on 3.10) leave aclose() untyped; 8.2 types it
                    await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
                except _redis_errors():
                    pass  # the connection is gone already

    async def _call(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        try:
            return await script(keys=keys, args=args)
        except _redis_errors() as exc:
            raise LimiterUnavailableError(f"the Redis limiter failed: {exc!r}") from exc


class _RedisLease:
    def __init__(self, limiter: RedisLimiter, key: str, member: str, hold_ms: int) -> None:
        self._limiter = limiter
        self._key = key
        self._member = member
        self._hold_ms = hold_ms
        self._released = False

    async def release(
        self, *, counted: bool = True, replied: bool = False, remaining: int | None = None
    ) -> None:
        if self._released:
            return
        self._released = True
        limiter = self._limiter
        said = "" if remaining is None else str(remaining)
        args = [self._member, self._hold_ms, int(counted), int(replied), said]
        try:
            await limiter._call(
                limiter._release, limiter._keys(self._key), [*args, limiter._channel(self._key)]
            )
        except LimiterUnavailableError as exc:
            # The request is over and may have been sent: failing it now would invite a
            # resend. The slot expires by itself (twice its hold), the safe direction.
            logger.warning("could not release a rate-limit slot: %s", exc)


def _redis_errors() -> tuple[type[BaseException], ...]:
    # Everything redis-py raises: a read-only replica after a failover, a refused script,
    # a timeout, a cluster without the slot. Not one of them may escape as itself.
    from redis.exceptions import RedisClusterException, RedisError

    return (RedisError, RedisClusterException, OSError)


def _require_asyncio(what: str = "RedisLimiter") -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            f"{what} needs asyncio: redis-py's client does not run on trio"
        ) from None
