"""The fleet's ledger: idempotency keys in Redis, shared by every process and machine."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import anyio

from .._extras import needs_extra
from .._redis_client import client_of
from ..errors import (
    ArgumentError,
    JournalError,
    KeyInProgressError,
    LedgerDurabilityError,
    LedgerUnavailableError,
)
from ..limiters._redis import _redis_errors, _require_asyncio
from ._entry import LedgerEntry, RecordedError
from ._leased import Leased
from ._values import error_data, error_from_data

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["RedisLedger"]

#: How many entries a listing (`RedisLedger.ambiguous`, `RedisLedger.completed`) reads at once.
_READS_AT_ONCE = 64

# Time is Redis's own (TIME), in ms: hosts' clocks differ, the server's is one clock.
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)"

# KEYS: entry (hash), lease (string: the claimer, expiring). The lease is what says the
# claimer is alive: it expires ``lease`` after its last heartbeat, by Redis's clock.

# ARGV: fingerprint, claimer, lease ms, item JSON ('' for none). {1} when claimed now;
# else {0, lease ms left, the entry's fields and values...}.
_CLAIM = f"""
{_NOW}
if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'state', 'in_progress',
        'claimer', ARGV[2], 'heartbeat', now, 'attempted', now)
    if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'item', ARGV[4]) end
    redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
    return {{1}}
end
local entry = redis.call('HGETALL', KEYS[1])
table.insert(entry, 1, redis.call('PTTL', KEYS[2]))
table.insert(entry, 1, 0)
return entry
"""

# What every write of a claimer checks first: the key is still its claim, in progress.
_MINE = """
if redis.call('HGET', KEYS[1], 'claimer') ~= ARGV[1]
    or redis.call('HGET', KEYS[1], 'state') ~= 'in_progress' then return 0 end
"""

# ARGV: claimer, lease ms.
_HEARTBEAT = f"""
{_NOW}
{_MINE}
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[1], 'heartbeat', now)
return 1
"""

# What keeps a key whose outcome is known for ``keep``: ARGV[KEEP] ms, '0' for good.
_KEEP = "if ARGV[{0}] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[{0}]) end"

# ARGV: claimer, state, result JSON ('' for none), error JSON ('' for none), keep ms.
_RECORD = f"""
{_MINE}
redis.call('HSET', KEYS[1], 'state', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'result', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[4]) end
redis.call('HDEL', KEYS[1], 'heartbeat')
redis.call('DEL', KEYS[2])
{_KEEP.format(5)}
return 1
"""

# ARGV: claimer.
_RELEASE = f"""
{_MINE}
redis.call('DEL', KEYS[1], KEYS[2])
return 1
"""

# ARGV: sent (1/0), result JSON ('' for none), note, keep ms, only if unknown (1/0).
# 0: no entry; -1: a live claimer holds it; -2: its outcome is known (only if unknown);
# 1: settled.
_SETTLE = f"""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'in_progress' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if ARGV[5] == '1' and (state == 'completed' or (state == 'failed'
    and not cjson.decode(redis.call('HGET', KEYS[1], 'error')).maybe_sent)) then
    return -2
end
if ARGV[1] ~= '1' then
    redis.call('DEL', KEYS[1], KEYS[2])
    return 1
end
redis.call('HDEL', KEYS[1], 'result', 'error', 'heartbeat')
redis.call('HSET', KEYS[1], 'state', 'completed', 'claimer', 'settled', 'note', ARGV[3])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'result', ARGV[2]) end
{_KEEP.format(4)}
return 1
"""


class RedisLedger(Leased):
    """Idempotency keys in Redis: one ledger for every process and machine of a fleet.

    Each operation is one Lua script, timed by Redis's clock. A claim holds a lease that
    its claimer renews while its request is under way; a lease that ran out means the
    claimer died mid-request, and the key's outcome stays unknown until settled.

    Durability is checked before the first operation: a server that may lose its last
    writes in a crash (no append-only file, or one not written on every change) would
    lose claims, and a lost claim is a message sent twice. Such a server is refused
    (`LedgerDurabilityError`) unless ``durability="unchecked"``. Run Redis with
    ``--appendonly yes --appendfsync always`` (``CONFIG GET`` must be allowed).

    Needs asyncio (redis-py's asyncio client); under trio every call raises
    `RuntimeError`.

    Examples:
        >>> ledger = RedisLedger("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> easify = AsyncEasify(ledger=ledger, limiter=RedisLimiter(URL))  # doctest: +SKIP

    Args:
        url_or_client: ``redis://...``, or a ``redis.asyncio.Redis`` or ``RedisCluster``
            you own (not closed). Both keys of one idempotency key share a hash tag.
        prefix: prepended to every key.
        lease: seconds a claim lives without a heartbeat.
        wait: seconds a second caller waits for a live claimer's outcome.
        keep: seconds a key whose outcome is known (sent, or refused) is kept after it
            was recorded or settled; then it is forgotten, and a call with it sends anew.
            ``None`` (the default) keeps every key for good. A key whose outcome is
            unknown is kept until it is settled.
        durability: ``"checked"`` (refuse a server that may lose writes) or
            ``"unchecked"`` (accept it: a crash of the server may send a key twice).

    Raises:
        LedgerDurabilityError: from the first operation, on a server that may lose
            writes (``durability="checked"``).
        LedgerUnavailableError: from an operation on a server that fails (unreachable,
            read-only, a timeout): a claim that fails sends nothing.
    """

    def __init__(
        self,
        url_or_client: str | Redis | RedisCluster,
        *,
        prefix: str = "easify:ledger:",
        lease: float = 15.0,
        wait: float = 30.0,
        keep: float | None = None,
        durability: Literal["checked", "unchecked"] = "checked",
    ) -> None:
        with needs_extra("redis", "RedisLedger"):
            from redis.asyncio import RedisCluster

        if durability not in ("checked", "unchecked"):
            raise ArgumentError(
                "durability", f'must be "checked" or "unchecked", not {durability!r}'
            )
        super().__init__(lease=lease, wait=wait, keep=keep)
        self._redis, self._owned = client_of(url_or_client, part="RedisLedger")
        self._cluster = isinstance(self._redis, RedisCluster)
        self._prefix = prefix
        self._checked = durability == "unchecked"
        self._check_lock = anyio.Lock()
        self._claim = self._redis.register_script(_CLAIM)
        self._heartbeat = self._redis.register_script(_HEARTBEAT)
        self._record = self._redis.register_script(_RECORD)
        self._release = self._redis.register_script(_RELEASE)
        self._settle = self._redis.register_script(_SETTLE)

    def __repr__(self) -> str:
        return f"<RedisLedger prefix={self._prefix!r}>"

    async def check_durability(self) -> None:
        """Check (once) that the server writes every change to disk before answering.

        Raises:
            LedgerDurabilityError: it does not, or does not say (``CONFIG`` refused).
            LedgerUnavailableError: the server cannot be reached.
        """
        _require_asyncio("RedisLedger")
        async with self._check_lock:
            if self._checked:
                return
            from redis.asyncio import RedisCluster
            from redis.exceptions import ResponseError

            # A cluster client asks one node by default: every node must persist.
            nodes = {"target_nodes": RedisCluster.ALL_NODES} if self._cluster else {}
            try:
                config: Mapping[Any, Any] = await self._redis.config_get("append*", **nodes)
            except ResponseError as exc:
                raise LedgerDurabilityError(f"CONFIG GET refused: {exc}") from exc
            except _redis_errors() as exc:
                raise LedgerUnavailableError(f"Redis failed: {exc!r}") from exc
            # A cluster answers per node; each must persist.
            answers: Any = config.values() if _per_node(config) else [config]
            for node in answers:
                found = {_text(k): _text(v) for k, v in node.items()}
                appendonly, fsync = found.get("appendonly"), found.get("appendfsync")
                if appendonly != "yes" or fsync != "always":
                    raise LedgerDurabilityError(f"appendonly {appendonly}, appendfsync {fsync}")
            self._checked = True

    async def claim(
        self,
        key: str,
        fingerprint: str,
        *,
        claimer: str,
        item: Mapping[str, Any] | None = None,
    ) -> LedgerEntry | None:
        """See `Ledger.claim`."""
        args = [fingerprint, claimer, self._lease_ms, _json(item)]
        found = await self._call(self._claim, key, args)
        if found[0] == 1:
            return None
        return self._entry(key, found[1], found[2:])

    async def heartbeat(self, key: str, *, claimer: str) -> bool:
        """See `Ledger.heartbeat`."""
        return bool(await self._call(self._heartbeat, key, [claimer, self._lease_ms]))

    async def record(
        self,
        key: str,
        *,
        claimer: str,
        result: Mapping[str, Any] | None = None,
        error: RecordedError | None = None,
    ) -> bool:
        """See `Ledger.record`."""
        state = "failed" if error is not None else "completed"
        keep = self._keep_ms if self.final(error) else "0"
        args = [claimer, state, _json(result), _json(error_data(error)), keep]
        return bool(await self._call(self._record, key, args))

    async def release(self, key: str, *, claimer: str) -> bool:
        """See `Ledger.release`."""
        return bool(await self._call(self._release, key, [claimer]))

    async def entry(self, key: str) -> LedgerEntry | None:
        """See `Ledger.entry`."""
        await self.check_durability()
        entry, lease = self._keys(key)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:  # one snapshot
                pipe.hgetall(entry)
                pipe.pttl(lease)
                fields, left = await pipe.execute()
        except _redis_errors() as exc:
            raise LedgerUnavailableError(f"Redis failed: {exc!r}", key=key) from exc
        if not fields:
            return None
        return self._entry(key, left, [x for pair in fields.items() for x in pair])

    async def ambiguous(self) -> list[LedgerEntry]:
        """See `Ledger.ambiguous`. Walks the prefix's keys with ``SCAN`` (never ``KEYS``,
        which blocks the server) and reads their entries 64 at a time."""
        return [entry for entry in await self._entries() if entry.ambiguous]

    async def completed(self) -> list[LedgerEntry]:
        """See `Ledger.completed`. Walks the prefix's keys with ``SCAN``, 64 read at once."""
        return [entry for entry in await self._entries() if entry.state == "completed"]

    async def _entries(self) -> list[LedgerEntry]:
        await self.check_durability()
        pattern = f"{_glob_escaped(self._prefix)}{{*}}:entry"
        found: list[LedgerEntry] = []
        try:
            names = [_text(name) async for name in self._redis.scan_iter(match=pattern)]
        except _redis_errors() as exc:
            raise LedgerUnavailableError(f"Redis failed: {exc!r}") from exc
        keys = [name[len(self._prefix) + 1 : -len("}:entry")] for name in sorted(names)]
        # One read a key (each its own snapshot; a cluster keeps each key in its own slot,
        # so one pipeline could not be one), _READS_AT_ONCE of them under way: a ledger of
        # 100,000 keys costs 100,000 / _READS_AT_ONCE round trips, not 100,000.
        for start in range(0, len(keys), _READS_AT_ONCE):
            chunk = keys[start : start + _READS_AT_ONCE]
            read = await asyncio.gather(*map(self.entry, chunk), return_exceptions=True)
            for entry in read:
                if isinstance(entry, BaseException):  # once every read of the chunk ended
                    raise entry
                if entry is not None:  # (it may have been settled since)
                    found.append(entry)
        return found

    async def settle(
        self,
        key: str,
        *,
        sent: bool,
        result: Mapping[str, Any] | None = None,
        note: str | None = None,
        only_if_unknown: bool = False,
    ) -> LedgerEntry | None:
        """See `Ledger.settle`."""
        before = await self.entry(key)
        was = "unknown" if before is None else before.state
        note = note or f"settled by hand: {'sent' if sent else 'not sent'} (was {was})"
        args = [int(sent), _json(result), note, self._keep_ms, int(only_if_unknown)]
        done = await self._call(self._settle, key, args)
        if done == 0:
            raise JournalError("the ledger has no entry for this key", key=key)
        if done == -2:
            raise JournalError("the key's outcome is known now: left as it is", key=key)
        if done == -1:
            claimer = "" if before is None or before.claimer is None else before.claimer
            raise KeyInProgressError(key, claimer)
        return await self.entry(key) if sent else None

    async def aclose(self) -> None:
        """Close the connection pool if this ledger made it."""
        if self._owned:
            await self._redis.aclose()

    @property
    def _lease_ms(self) -> int:
        return max(1, round(self._lease * 1000))

    @property
    def _keep_ms(self) -> str:
        return "0" if self._keep is None else str(max(1, round(self._keep * 1000)))

    def _keys(self, key: str) -> list[str]:
        # One hash tag for both: a Redis Cluster refuses a script whose keys live in
        # different slots.
        tagged = f"{self._prefix}{{{key}}}"
        return [f"{tagged}:entry", f"{tagged}:lease"]

    async def _call(self, script: AsyncScript, key: str, args: list[Any]) -> Any:
        await self.check_durability()
        try:
            return await script(keys=self._keys(key), args=args)
        except _redis_errors() as exc:
            raise LedgerUnavailableError(f"Redis failed: {exc!r}", key=key) from exc

    def _entry(self, key: str, lease_left: int, flat: list[Any]) -> LedgerEntry:
        fields = {_text(flat[i]): _text(flat[i + 1]) for i in range(0, len(flat), 2)}
        heartbeat = fields.get("heartbeat")
        return LedgerEntry(
            key=key,
            state=fields["state"],  # type: ignore[arg-type]  # only the scripts write it
            fingerprint=fields["fingerprint"],
            claimer=fields.get("claimer"),
            heartbeat_at=None
            if heartbeat is None
            else dt.datetime.fromtimestamp(int(heartbeat) / 1000, dt.timezone.utc),
            # PTTL: -2 once the lease is gone; 0 in its last millisecond, when it still
            # exists for the scripts (EXISTS), so it is alive as they see it.
            claimer_alive=fields["state"] == "in_progress" and int(lease_left) >= 0,
            result=json.loads(fields["result"]) if "result" in fields else None,
            error=error_from_data(json.loads(fields["error"])) if "error" in fields else None,
            note=fields.get("note"),
            item=json.loads(fields["item"]) if "item" in fields else {},
            attempted_at=None
            if "attempted" not in fields
            else dt.datetime.fromtimestamp(int(fields["attempted"]) / 1000, dt.timezone.utc),
        )


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True)


def _glob_escaped(text: str) -> str:
    """``text`` matched literally by a ``SCAN MATCH`` pattern."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _per_node(config: Mapping[Any, Any]) -> bool:
    return bool(config) and all(isinstance(v, Mapping) for v in config.values())
