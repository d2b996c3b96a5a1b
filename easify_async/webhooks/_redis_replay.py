"""A replay guard in Redis, shared by every worker and machine receiving one webhook."""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from .._extras import needs_extra
from .._redis_client import client_of
from ..errors import ArgumentError
from ._errors import ReplayGuardUnavailableError
from ._redis_batch import Batcher
from ._replay import DEFAULT_LEASE, DEFAULT_RETENTION, Claim, check_lease, check_retention

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster

__all__ = ["RedisReplayGuard"]

# Keys are set with Redis's expiry and the memory marker is Redis's clock, while the
# receivers compare with this host's: vouching for a minute less covers the difference.
_MARGIN = 60.0

# A handled key holds _DONE; a claimed one "lease:" + the claiming guard's id, so that a
# guard releases only its own claim, never one taken after its lease ran out. Any other
# value (the "1" of earlier versions) reads as handled.
_DONE = "done"
_LEASE = "lease:"
# The memory marker, beside the keys: the UNIX second (Redis's clock) from which this
# store remembers. A store that lost its data (a restart without persistence, FLUSHALL,
# a failover to an empty replica) lost the marker with it, so the guard knows.
_SINCE = "since"

# KEYS[1]: the marker. Missing, it is written in the same atomic step as it is read, by
# Redis's clock, so every guard sharing the store agrees on it whatever its host's clock.
# Its value is the next whole second, strictly after this write: a key confirmed at or
# after it (by Redis's clock) was confirmed into the store now holding the marker.
_MARKER = """
local since = redis.call('GET', KEYS[1])
if not since then
  since = tostring(tonumber(redis.call('TIME')[1]) + 1)
  redis.call('SET', KEYS[1], since)
end
"""

# One round trip's script: every call made meanwhile (see Batcher). KEYS: the marker,
# the keys to confirm, the keys to release, then the keys to claim: each delivery's in
# turn. ARGV: this guard's lease value, lease ms, the lease values' prefix, the handled
# value, the retention ms, how many keys to confirm and to release, then each claiming
# delivery's key count. Confirms and releases first: a claim in the same round trip
# finds the outcome of the handling before it, not its lease.
# Returns nothing without claims, else the marker, then for each delivery a list: for
# each of its keys "" (claimed) or what holds it, stopping after the first key held by
# a lease: that delivery is answered 503 and its claims released. Each delivery's keys
# are claimed as if it came alone, after those of the deliveries before it.
_ROUND_TRIP = (
    """
local confirms, forgets = tonumber(ARGV[6]), tonumber(ARGV[7])
local k = 1
for i = k + 1, k + confirms do redis.call('SET', KEYS[i], ARGV[4], 'PX', ARGV[5]) end
k = k + confirms
for i = k + 1, k + forgets do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
k = k + forgets
if #ARGV < 8 then return {} end
"""
    + _MARKER
    + """
local found = {since}
for d = 8, #ARGV do
  local group = {}
  local count = tonumber(ARGV[d])
  for i = 1, count do
    local held = redis.call('GET', KEYS[k + i])
    if held then
      group[i] = held
      if string.sub(held, 1, #ARGV[3]) == ARGV[3] then break end
    else
      redis.call('SET', KEYS[k + i], ARGV[1], 'PX', ARGV[2])
      group[i] = ''
    end
  end
  found[#found + 1] = group
  k = k + count
end
return found
"""
)

# KEYS: the marker. Returns it.
_READ_SINCE = _MARKER + "return since"


class RedisReplayGuard:
    """A `ReplayGuard` in Redis: every worker process of a receiver shares one memory.

    A delivery's claims are one script, atomic in Redis and one round trip however many
    events it carries: of two workers receiving the same redelivery at once exactly one
    gets ``"new"``, and its keys hold a lease of ``lease`` seconds; confirming them is one
    more round trip and keeps them for ``retention``. A lease that runs out unconfirmed
    (Redis was down when the failed handling released it, the worker died) frees the key
    by itself, so Easify's retry is handled then. Deliveries handled at once share their
    round trips: every claim, confirm and release made while one is out goes in the
    next, as one script call, over one connection of the client's pool that the guard
    keeps (`aclose` gives it back).

    The guard knows what its store remembers: beside the keys it keeps a marker, the time
    from which the store remembers, read with every delivery's claims. A store that lost
    its keys (a restart without persistence, ``FLUSHALL``, a failover to a replica that
    had nothing) lost the marker too; it is written anew, and events from before it (plus
    the tolerance) are refused, not taken for new. So the first deliveries after a first
    start or a loss are refused for a while (see the webhook guide); Redis must keep what it
    acknowledged (``appendonly yes``, ``appendfsync always``) and never evict these keys
    (``maxmemory-policy noeviction``, the default).

    When Redis cannot be reached, or does not answer within 10 seconds, the guard fails
    closed: `ReplayGuardUnavailableError`, which the FastAPI and aiohttp receivers answer
    with 503, so Easify delivers again later, rather than risk handling a delivery twice.

    Needs asyncio (redis-py's asyncio client); under trio every call raises `RuntimeError`.

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed; the guard keeps one connection of a ``Redis``'s pool
            until `aclose`). On a cluster every key of the guard shares one hash slot
            (the prefix is its hash tag unless it has one), so that a delivery's claims
            stay one script.
        retention: seconds a handled key is kept, a week by default.
        lease: seconds a claim holds its key unconfirmed, 5 minutes by default: longer
            than a handling takes, or a retry arriving meanwhile is handled alongside.
        prefix: prepended to every key.

    Raises:
        ArgumentError: ``retention`` or ``lease`` is not a finite number of seconds above
            0, or ``lease`` is above ``retention``, or ``prefix`` is empty for a cluster.

    Examples:
        >>> guard = RedisReplayGuard("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> router = webhook_router(secret=S, on_sms=f, replay_guard=guard)  # doctest: +SKIP
    """

    #: Its confirms and releases are made by its batcher's task, queued before the
    #: caller first pauses, each round trip bounded by its own deadline: a receiver
    #: settles its claims without a shielded scope (`_receive._settle`).
    _SETTLES_WHEN_CANCELLED = True

    def __init__(
        self,
        url_or_client: str | Redis | RedisCluster,
        *,
        retention: float = DEFAULT_RETENTION,
        lease: float = DEFAULT_LEASE,
        prefix: str = "easify:webhook:",
    ) -> None:
        with needs_extra("redis", "RedisReplayGuard"):
            from redis.asyncio import RedisCluster

        self._retention = check_retention(retention)
        self._lease = check_lease(lease, self._retention)
        self._redis, self._owned = client_of(url_or_client, part="RedisReplayGuard")
        self._prefix = _one_slot(prefix) if isinstance(self._redis, RedisCluster) else prefix
        self._lease_value = _LEASE + uuid.uuid4().hex
        self._read_since = self._redis.register_script(_READ_SINCE)
        self._batcher = Batcher(
            self._redis,
            self._redis.register_script(_ROUND_TRIP),
            self._prefix + _SINCE,
            [self._lease_value, _ms(self._lease), _LEASE, _DONE, _ms(self._retention)],
        )

    def __repr__(self) -> str:
        return (
            f"<RedisReplayGuard prefix={self._prefix!r} retention={self._retention:g} s"
            f" lease={self._lease:g} s>"
        )

    async def claim(self, key: str) -> Claim:
        """Claim ``key`` for one lease, in every process, unless it is handled or claimed."""
        [claim], _ = await self.claim_many([key])
        return claim

    async def claim_many(self, keys: Sequence[str]) -> tuple[list[Claim], float]:
        """Claim each of ``keys`` as `claim` does, and read `remembers_since`, at once.

        One round trip. Stops after the first key another handling holds (the result is
        then shorter than ``keys``): the receivers answer 503 and release the others.
        """
        _require_asyncio()
        prefix = self._prefix
        try:
            marker, found = await self._batcher.claim([prefix + key for key in keys])
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc
        return [_claim_of(_text(value)) for value in found], self._since(_text(marker))

    async def confirm(self, key: str) -> None:
        """``key``'s delivery was handled: keep it for the whole retention."""
        await self.confirm_many([key])

    async def confirm_many(self, keys: Sequence[str]) -> None:
        """`confirm` each of ``keys``, in one round trip."""
        await self._run(self._batcher.confirm, keys)

    async def forget(self, key: str) -> None:
        """Release this guard's claim of ``key``: it was not handled, let a retry in now."""
        await self.forget_many([key])

    async def forget_many(self, keys: Sequence[str]) -> None:
        """`forget` each of ``keys``, in one round trip."""
        await self._run(self._batcher.forget, keys)

    async def remembers_since(self) -> float:
        """UNIX time after which every key confirmed is still kept: the retention, or the
        store's marker (written now if the store has none) if it is later."""
        _require_asyncio()
        try:
            since = await self._read_since(keys=[self._prefix + _SINCE])
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc
        return self._since(_text(since))

    async def aclose(self) -> None:
        """Send the calls made so far, then close the connection pool if this guard made
        it (else give back its connection): call it when the receiver stops, so that the
        confirms of the last deliveries are made."""
        await self._batcher.aclose()
        if self._owned:
            await self._redis.aclose()

    def _since(self, marker: str) -> float:
        try:
            since = float(marker)
        except ValueError:
            since = math.nan
        if not math.isfinite(since):  # not ours: vouch for nothing rather than guess
            raise ReplayGuardUnavailableError(f"{self._prefix}{_SINCE} is not a UNIX time")
        return max(since, time.time() - self._retention) + _MARGIN

    async def _run(self, run: Callable[[list[str]], Awaitable[None]], keys: Sequence[str]) -> None:
        _require_asyncio()
        if not keys:
            return
        try:
            await run([self._prefix + key for key in keys])
        except _redis_errors() as exc:
            raise _unavailable(exc) from exc


def _one_slot(prefix: str) -> str:
    # Redis Cluster hashes only the text between the first "{" and the next "}" when it is
    # not empty: with such a tag in the prefix, every key of the guard lands in one slot.
    start = prefix.find("{")
    end = prefix.find("}", start + 1) if start >= 0 else -1
    if end > start + 1:
        return prefix
    if not prefix:
        raise ArgumentError("prefix", "must not be empty on a Redis Cluster")
    return "{" + prefix + "}"


def _text(value: bytes | str | int) -> str:
    # A client made with decode_responses=True answers str, the default one bytes.
    return value.decode() if isinstance(value, bytes) else str(value)


def _claim_of(held: str) -> Claim:
    if not held:
        return "new"
    return "processing" if held.startswith(_LEASE) else "done"


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
