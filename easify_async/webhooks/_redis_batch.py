"""The calls of concurrent deliveries to one Redis, sent together: one command for all.

A receiver under load handles many deliveries at once in one event loop; each claims its
keys and later confirms them. Every call made before a round trip leaves goes in it, all
of them one call of one script, so the round trips and redis-py's work per command (the
bulk of the guard's cost: a write, a wake-up, packing and parsing) are shared instead of
paid per delivery.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.asyncio.connection import AbstractConnection
    from redis.commands.core import AsyncScript

__all__ = ["DEADLINE", "Batcher"]

#: Seconds a round trip may take before its callers fail (see `Batcher`).
DEADLINE = 10.0


class Batcher:
    """Runs one guard's calls: one round trip at a time, carrying every call made
    meanwhile as one call of ``script``.

    A call made while no round trip is out leaves in the next turn of the loop, with the
    calls of that turn; one made while a round trip is out leaves one turn after it is
    back, with every other call made meanwhile and those of the tasks its answers woke
    (a delivery handled at once confirms in it, not in one more round trip). Under load
    one round trip carries the claims, confirms and releases of many deliveries for the
    price of one command, and a call waits at most one round trip (and a turn) more.

    A call is queued before its caller first pauses, and its round trip is this
    batcher's task, not the caller's: a caller cancelled while it waits stops waiting,
    but its call is made all the same (a confirm after a handling that succeeded, a
    release after one that failed, need no shield of their own).

    Args:
        script: KEYS ``marker``, the keys to confirm, to release, then each claiming
            delivery's keys in turn; ARGV ``args``, how many keys to confirm and to
            release, then each claiming delivery's key count. It answers nothing without
            claims, else the marker then a list per claiming delivery.
        deadline: seconds a round trip may take; past it its callers fail with redis-py's
            `TimeoutError` (a hung store must not hold a request forever) and the next
            round trip leaves.
    """

    def __init__(
        self,
        redis: Redis | RedisCluster,
        script: AsyncScript,
        marker: str,
        args: list[Any],
        deadline: float = DEADLINE,
    ) -> None:
        from redis.asyncio import RedisCluster

        # A cluster's calls go through its client (it routes them); a server's, one
        # connection kept for them: no pool to take it from and give it back to, nor
        # redis-py's layers above a connection, each round trip (a third of its cost).
        self._line = None if isinstance(redis, RedisCluster) else _Line(redis)
        self._script = script
        self._marker = marker
        self._args = args
        self._deadline = deadline
        # Set when a round trip's deadline cancelled the sending task (not the loop).
        self._late = False
        self._pending: list[_Call] = []
        # The task sending round trips while there are calls (held: a task only weakly
        # referenced may vanish); None when idle.
        self._sender: asyncio.Task[None] | None = None

    async def claim(self, keys: list[str]) -> tuple[Any, list[Any]]:
        """Claim ``keys`` (one delivery's) as the script does: (marker, found)."""
        result: tuple[Any, list[Any]] = await self._run(_CLAIM, keys)
        return result

    async def confirm(self, keys: list[str]) -> None:
        """Confirm ``keys`` as the script does."""
        await self._run(_CONFIRM, keys)

    async def forget(self, keys: list[str]) -> None:
        """Release ``keys`` as the script does."""
        await self._run(_FORGET, keys)

    async def _run(self, kind: int, keys: list[str]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((kind, keys, future))
        if self._sender is None:
            # It starts in the next turn: after every task ready in this one has queued.
            self._sender = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None  # _drain runs as a task
        try:
            while self._pending:
                # One more turn: the tasks a reply just woke (a claim's handling that
                # goes on to confirm without pausing) add their calls to this round trip.
                await asyncio.sleep(0)
                calls, self._pending = self._pending, []
                # One timer a round trip, not a scope a caller: cheaper, and the same bound.
                timer = loop.call_later(self._deadline, self._too_late, task)
                try:
                    await self._send(calls)
                except asyncio.CancelledError:
                    if not self._late:
                        raise
                    self._late = False
                    if hasattr(task, "uncancel"):  # 3.11+: a later timeout stays exact
                        task.uncancel()
                finally:
                    timer.cancel()
        except BaseException:  # the loop is closing: so are the callers still queued
            for *_, future in self._pending:
                future.cancel()
            self._pending = []
            raise
        finally:
            self._sender = None

    async def aclose(self) -> None:
        """Wait for the calls made so far (a confirm whose request is gone included),
        then give the kept connection back to its pool."""
        if self._sender is not None:
            # Not awaited directly: cancelling this wait must not cancel the round trips.
            await asyncio.wait([self._sender])
        if self._line is not None:
            await self._line.aclose()

    def _too_late(self, task: asyncio.Task[None]) -> None:
        self._late = True
        task.cancel()

    async def _send(self, calls: list[_Call]) -> None:
        from redis.exceptions import TimeoutError as RedisTimeoutError

        by_kind: tuple[list[str], list[str], list[str]] = ([], [], [])
        counts: list[int] = []
        for kind, keys, _ in calls:
            by_kind[kind].extend(keys)
            if kind == _CLAIM:
                counts.append(len(keys))
        confirms, forgets, claims = by_kind
        keys = [self._marker, *confirms, *forgets, *claims]
        args = [*self._args, len(confirms), len(forgets), *counts]
        try:
            if self._line is None:
                reply: Any = await _once_more(self._script, keys, args)
            else:
                reply = await self._line.call(self._script, keys, args)
        except Exception as exc:  # for each caller to raise as its own
            reply = exc
        except BaseException:
            if self._late:  # past the deadline: each caller fails closed
                late = RedisTimeoutError(f"no answer within {self._deadline:g} s")
                for *_, future in calls:
                    if not future.done():
                        future.set_exception(late)
            else:  # the loop is closing: so are the callers
                for *_, future in calls:
                    future.cancel()
            raise
        groups = iter(_groups(reply, len(counts)))
        for kind, _, future in calls:
            answer = next(groups) if kind == _CLAIM else reply
            if future.done():  # its caller was cancelled
                continue
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer if kind == _CLAIM else None)


class _Line:
    """One connection of a server's pool, kept for one batcher's round trips (one at a
    time: no other user)."""

    def __init__(self, redis: Redis) -> None:
        self._pool = redis.connection_pool
        self._connection: AbstractConnection | None = None

    async def call(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        """``script``'s call, tried a second time if the connection failed (as
        `_once_more`: redis-py disconnects a failed connection, and the next command
        connects it again)."""
        from redis.exceptions import ConnectionError as RedisConnectionError

        try:
            return await self._evalsha(script, keys, args)
        except RedisConnectionError:
            return await self._evalsha(script, keys, args)

    async def _evalsha(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        from redis.exceptions import NoScriptError

        connection = self._connection
        if connection is None:
            taken = self._pool.get_connection()  # type: ignore[no-untyped-call]
            connection = self._connection = await taken
        command = _pack(["EVALSHA", script.sha, len(keys), *keys, *args])
        await connection.send_packed_command(command)
        try:
            return await connection.read_response()
        except NoScriptError:  # a restarted Redis forgot it: the call did not run
            await connection.send_command("SCRIPT", "LOAD", script.script)
            await connection.read_response()
            await connection.send_packed_command(command)
            return await connection.read_response()

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await self._pool.release(connection)


def _pack(parts: list[str | int]) -> bytes:
    """A command in Redis's protocol (RESP): texts and whole numbers only, as the guard
    sends, so no encoder is asked for each (redis-py's packing was a fifth of a round
    trip's work)."""
    encoded = [part.encode() if isinstance(part, str) else b"%d" % part for part in parts]
    return b"*%d\r\n" % len(encoded) + b"".join(
        b"$%d\r\n%s\r\n" % (len(part), part) for part in encoded
    )


# The kinds of call, in the order their keys are given to the script.
_CONFIRM, _FORGET, _CLAIM = 0, 1, 2
# A caller's call: its kind, its keys, its future.
_Call = tuple[int, list[str], "asyncio.Future[Any]"]


def _groups(reply: Any, claims: int) -> list[Any]:
    """Each claiming caller's answer: the error, or (marker, its group)."""
    if isinstance(reply, Exception):
        return [reply] * claims
    if not claims:
        return []
    marker, *groups = reply
    if len(groups) != claims:  # never, from the guard's own script
        wrong = RuntimeError(f"the guard's script answered {len(groups)} groups for {claims}")
        return [wrong] * claims
    return [(marker, group) for group in groups]


async def _once_more(script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
    """``script``'s call, tried a second time if the connection failed.

    A pooled connection that Redis closed (a restart, a failover) fails the first call
    made on it, and redis-py 8.1 does not retry it by itself (8.0 and 8.2 do). Every
    call of the guard can run twice: a claim that did run the first time finds its own
    lease on the retry, which answers 503 and releases it, never handles twice.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return await script(keys=keys, args=args)
    except RedisConnectionError:
        return await script(keys=keys, args=args)
