"""A replay guard in Redis, shared by every worker and machine receiving one webhook."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING

from .._extras import needs_extra
from ._errors import ReplayGuardUnavailableError
from ._replay import DEFAULT_LEASE, DEFAULT_RETENTION, Claim, check_lease, check_retention

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster

__all__ = ["RedisReplayGuard"]

# Keys are set with Redis's expiry while `remembers_since` reads this host's clock, and
# a key is kept from its confirm, after the check: vouching for a minute less covers both.
_MARGIN = 60.0

# A handled key holds _DONE; a claimed one "lease:" + the claiming guard's id, so that a
# guard releases only its own claim, never one taken after its lease ran out. Any other
# value (the "1" of earlier versions) reads as handled.
_DONE = "done"
_LEASE = "lease:"

# ARGV: this guard's lease value, lease ms. Returns nil when claimed, else what holds it.
_CLAIM = """
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
"""

# ARGV: this guard's lease value.
_FORGET = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisReplayGuard:
    """A `ReplayGuard` in Redis: every worker process of a receiver shares one memory.

    ``claim`` is one script, atomic in Redis: of two workers receiving the same
    redelivery at once exactly one gets ``"new"``, and its key holds a lease of
    ``lease`` seconds; ``confirm`` keeps the key for ``retention``. A lease that runs
    out unconfirmed (Redis was down when the failed handling released it, the worker
    died) frees the key by itself, so Easify's retry is handled then. Keys expire by
    themselves; Redis must not evict them sooner (its ``maxmemory-policy``
    ``noeviction``, the default), or a replay of an evicted key is taken for new.

    When Redis cannot be reached the guard fails closed: `ReplayGuardUnavailableError`,
    which the FastAPI and aiohttp receivers answer with 503, so Easify delivers again
    later, rather than risk handling a delivery twice.

    Needs asyncio (redis-py's asyncio client); under trio every call raises `RuntimeError`.

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed).
        retention: seconds a handled key is kept, a week by default.
        lease: seconds a claim holds its key unconfirmed, 5 minutes by default: longer
            than a handling takes, or a retry arriving meanwhile is handled alongside.
        prefix: prepended to every key.

    Raises:
        ArgumentError: ``retention`` or ``lease`` is not a finite number of seconds above
            0, or ``lease`` is above ``retention``.

    Example:
        >>> guard = RedisReplayGuard("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> router = webhook_router(secret=S, on_sms=f, replay_guard=guard)  # doctest: +SKIP
    """

    def __init__(
        self,
        url_or_client: str | Redis | RedisCluster,
        *,
        retention: float = DEFAULT_RETENTION,
        lease: float = DEFAULT_LEASE,
        prefix: str = "easify:webhook:",
    ) -> None:
        with needs_extra("redis", "RedisReplayGuard"):
            from redis.asyncio import Redis

        self._retention = check_retention(retention)
        self._lease = check_lease(lease, self._retention)
        if isinstance(url_or_client, str):
            self._redis: Redis | RedisCluster = Redis.from_url(url_or_client)
            self._owned = True
        else:
            self._redis = url_or_client
            self._owned = False
        self._prefix = prefix
        self._lease_value = _LEASE + uuid.uuid4().hex
        self._claim = self._redis.register_script(_CLAIM)
        self._forget = self._redis.register_script(_FORGET)

    def __repr__(self) -> str:
        return (
            f"<RedisReplayGuard prefix={self._prefix!r} retention={self._retention:g} s"
            f" lease={self._lease:g} s>"
        )

    async def claim(self, key: str) -> Claim:
        """Claim ``key`` for one lease, in every process, unless it is handled or claimed."""
        _require_asyncio()
        try:
            held = await self._claim(
                keys=[self._prefix + key], args=[self._lease_value, _ms(self._lease)]
            )
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc
        if held is None:
            return "new"
        # A client made with decode_responses=True answers str, the default one bytes.
        text = held.decode() if isinstance(held, bytes) else str(held)
        return "processing" if text.startswith(_LEASE) else "done"

    async def confirm(self, key: str) -> None:
        """``key``'s delivery was handled: keep it for the whole retention."""
        _require_asyncio()
        try:
            await self._redis.set(self._prefix + key, _DONE, px=_ms(self._retention))
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc

    async def forget(self, key: str) -> None:
        """Release this guard's claim of ``key``: it was not handled, let a retry in now."""
        _require_asyncio()
        try:
            await self._forget(keys=[self._prefix + key], args=[self._lease_value])
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc

    async def remembers_since(self) -> float:
        """UNIX time after which every key confirmed is still kept (no Redis call)."""
        return time.time() - self._retention + _MARGIN

    async def aclose(self) -> None:
        """Close the connection pool if this guard made it."""
        if self._owned:
            await self._redis.aclose()


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _unavailable(exc: BaseException) -> ReplayGuardUnavailableError:
    return ReplayGuardUnavailableError(str(exc) or type(exc).__name__)


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
