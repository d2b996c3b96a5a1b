"""A replay guard in Redis, shared by every worker and machine receiving one webhook."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from ._errors import ReplayGuardUnavailableError
from ._replay import DEFAULT_RETENTION, check_retention

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster

__all__ = ["RedisReplayGuard"]

# Keys are set with Redis's expiry while `remembers_since` reads this host's clock, and
# a claim comes a moment after the check: claiming a minute less than is kept covers both.
_MARGIN = 60.0


class RedisReplayGuard:
    """A `ReplayGuard` in Redis: every worker process of a receiver shares one memory.

    ``first_time`` is one ``SET key 1 NX PX retention``, atomic in Redis, so of two
    workers receiving the same redelivery at once exactly one handles it. Keys expire
    by themselves after ``retention``; Redis must not evict them sooner (its
    ``maxmemory-policy`` ``noeviction``, the default), or a replay of an evicted key is
    taken for new.

    When Redis cannot be reached the guard fails closed: `ReplayGuardUnavailableError`,
    which the FastAPI and aiohttp receivers answer with 503, so Easify delivers again
    later, rather than risk handling a delivery twice.

    Needs asyncio (redis-py's asyncio client); under trio every call raises `RuntimeError`.

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed).
        retention: seconds a key is kept, a week by default.
        prefix: prepended to every key.

    Raises:
        ArgumentError: ``retention`` is not a finite number of seconds above 0.

    Example:
        >>> guard = RedisReplayGuard("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> router = webhook_router(secret=S, on_sms=f, replay_guard=guard)  # doctest: +SKIP
    """

    def __init__(
        self,
        url_or_client: str | Redis | RedisCluster,
        *,
        retention: float = DEFAULT_RETENTION,
        prefix: str = "easify:webhook:",
    ) -> None:
        from redis.asyncio import Redis

        self._retention = check_retention(retention)
        if isinstance(url_or_client, str):
            self._redis: Redis | RedisCluster = Redis.from_url(url_or_client)
            self._owned = True
        else:
            self._redis = url_or_client
            self._owned = False
        self._prefix = prefix

    def __repr__(self) -> str:
        return f"<RedisReplayGuard prefix={self._prefix!r} retention={self._retention:g} s>"

    async def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered, in any process, while it is kept."""
        _require_asyncio()
        try:
            ms = max(1, round(self._retention * 1000))
            return bool(await self._redis.set(self._prefix + key, 1, nx=True, px=ms))
        except _redis_errors() as exc:
            raise ReplayGuardUnavailableError(str(exc) or type(exc).__name__) from exc

    async def forget(self, key: str) -> None:
        """Drop ``key``: its delivery was not handled, so a retry must get through."""
        _require_asyncio()
        try:
            await self._redis.delete(self._prefix + key)
        except _redis_errors() as exc:
            raise ReplayGuardUnavailableError(str(exc) or type(exc).__name__) from exc

    async def remembers_since(self) -> float:
        """UNIX time after which every key offered is still kept (no Redis call)."""
        return time.time() - self._retention + _MARGIN

    async def aclose(self) -> None:
        """Close the connection pool if this guard made it."""
        if self._owned:
            await self._redis.aclose()


def _redis_errors() -> tuple[type[BaseException], ...]:
    # Any redis-py error (a read-only replica after failover, a refused command,
    # timeouts), and the OS's own for a socket that went away.
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def _require_asyncio() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            "RedisReplayGuard needs asyncio: redis-py's client does not run on trio"
        ) from None
