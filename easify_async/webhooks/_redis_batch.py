"""The scripts of concurrent deliveries to one Redis, sent together: one round trip for all.

A receiver under load handles many deliveries at once in one event loop; each claims its
keys and later confirms them, one script call each. Calls go out in one pipeline with
every other call made before it leaves, so the round trips (the bulk of the guard's
cost: a write, a wake-up and redis-py's work for each) are shared instead of one per
delivery.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["DEADLINE", "Batcher"]

#: Seconds a round trip may take before its callers fail (see `Batcher`).
DEADLINE = 10.0


class Batcher:
    """Runs one guard's scripts on ``redis``: one round trip at a time, carrying every
    call made meanwhile, each kind of call merged into one script call.

    A call made while no round trip is out leaves in the next turn of the loop, with
    the calls of that turn; one made while a round trip is out leaves as soon as it is
    back, with every other call made meanwhile. The claims of all those deliveries are
    one call of the claim script (each delivery's keys a group of its own, claimed in
    order as if alone), their confirms one call, their releases one: under load one
    round trip carries the deliveries of a whole round trip for the price of one or
    two commands (redis-py's work per command, not per key, is most of the guard's
    cost), and a call waits at most one round trip more.

    Args:
        claim: the claim script: KEYS the marker then each delivery's keys in turn, ARGV
            ``claim_args`` then each delivery's key count; it answers the marker, then a
            list per delivery.
        confirm, forget: scripts applying ``confirm_args``/``forget_args`` to every key.
        deadline: seconds a round trip may take; past it its callers fail with redis-py's
            `TimeoutError` (a hung store must not hold a request forever) and the next
            round trip leaves.

    A call is queued before its caller first pauses, and its round trip is this
    batcher's task, not the caller's: a caller cancelled while it waits stops waiting,
    but its call is made all the same (a confirm after a handling that succeeded, a
    release after one that failed, need no shield of their own).
    """

    def __init__(
        self,
        redis: Redis | RedisCluster,
        *,
        claim: tuple[AsyncScript, list[Any]],
        confirm: tuple[AsyncScript, list[Any]],
        forget: tuple[AsyncScript, list[Any]],
        deadline: float = DEADLINE,
    ) -> None:
        self._redis = redis
        self._deadline = deadline
        # Set when a round trip's deadline cancelled the sending task (not the loop).
        self._late = False
        self._pipelines_scripts = _pipelines_scripts(redis)
        self._scripts = {"claim": claim, "confirm": confirm, "forget": forget}
        self._pending: list[_Call] = []
        # The task sending round trips while there are calls (held: a task only weakly
        # referenced may vanish); None when idle.
        self._sender: asyncio.Task[None] | None = None

    async def claim(self, marker: str, keys: list[str]) -> tuple[Any, list[Any]]:
        """Claim ``keys`` (one delivery's) as the claim script does: (marker, found)."""
        result: tuple[Any, list[Any]] = await self._run("claim", keys, marker)
        return result

    async def confirm(self, keys: list[str]) -> None:
        """Run the confirm script on ``keys``."""
        await self._run("confirm", keys)

    async def forget(self, keys: list[str]) -> None:
        """Run the forget script on ``keys``."""
        await self._run("forget", keys)

    async def _run(self, kind: str, keys: list[str], marker: str = "") -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((kind, marker, keys, future))
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

    async def _send(self, calls: list[_Call]) -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        merged = _merge(calls, self._scripts)
        try:
            if len(merged) == 1:
                _, script, keys, args, _ = merged[0]
                results: list[Any] = [await _once_more(script, keys, args)]
            elif not self._pipelines_scripts:  # a round trip each (see _pipelines_scripts)
                results = []
                for _, script, keys, args, _ in merged:
                    try:
                        results.append(await _once_more(script, keys, args))
                    except Exception as exc:
                        results.append(exc)
            else:
                try:
                    results = await self._pipelined(merged)
                except RedisConnectionError:  # see _once_more
                    results = await self._pipelined(merged)
        except Exception as exc:  # for each caller to raise as its own
            results = [exc] * len(merged)
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
        for (kind, *_, callers), result in zip(merged, results, strict=True):
            answers = _answers(kind, result, len(callers))
            for future, answer in zip(callers, answers, strict=True):
                if future.done():  # its caller was cancelled
                    continue
                if isinstance(answer, Exception):
                    future.set_exception(answer)
                else:
                    future.set_result(answer)

    def _too_late(self, task: asyncio.Task[None]) -> None:
        self._late = True
        task.cancel()

    async def _pipelined(self, merged: list[_Command]) -> list[Any]:
        from redis.exceptions import NoScriptError

        pipe = self._redis.pipeline(transaction=False)
        for _, script, keys, args, _ in merged:
            pipe.evalsha(script.sha, len(keys), *keys, *args)
        results: list[Any] = await pipe.execute(raise_on_error=False)
        for index, result in enumerate(results):
            if isinstance(result, NoScriptError):
                # A restarted Redis forgot the scripts: the call did not run; the script's
                # own call loads it and runs it.
                _, script, keys, args, _ = merged[index]
                results[index] = await script(keys=keys, args=args)
        return results


# A caller's call: its kind, the claim's marker key, its keys, its future.
_Call = tuple[str, str, list[str], "asyncio.Future[Any]"]
# The calls of one kind as one script call: kind, script, keys, args, the callers'
# futures in order (a claim's answers are the reply's groups, in that order).
_Command = tuple[str, "AsyncScript", list[str], list[Any], list["asyncio.Future[Any]"]]


def _merge(calls: list[_Call], scripts: dict[str, tuple[AsyncScript, list[Any]]]) -> list[_Command]:
    """The calls of each kind as one script call, in the order the kinds first came."""
    commands: dict[str, _Command] = {}
    for kind, marker, keys, future in calls:
        command = commands.get(kind)
        if command is None:
            script, args = scripts[kind]
            command = commands[kind] = (kind, script, [marker] if marker else [], [*args], [])
        command[2].extend(keys)
        if marker:  # a claim: its group's size
            command[3].append(len(keys))
        command[4].append(future)
    return list(commands.values())


def _answers(kind: str, result: Any, callers: int) -> list[Any]:
    """Each caller's answer from its kind's reply: the error, a claim's (marker, its
    group), or nothing for a confirm or a release."""
    if isinstance(result, Exception):
        return [result] * callers
    if kind != "claim":
        return [None] * callers
    marker, *groups = result
    if len(groups) != callers:  # never, from the guard's own script
        wrong = RuntimeError(f"the claim script answered {len(groups)} groups for {callers}")
        return [wrong] * callers
    return [(marker, group) for group in groups]


async def _once_more(script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
    """``script``'s call, tried a second time if the connection failed.

    A pooled connection that Redis closed (a restart, a failover) fails the first call
    made on it, and redis-py 8.1 does not retry it by itself (8.0 and 8.2 do). Every
    script of the guard can run twice: a claim that did run the first time finds its own
    lease on the retry, which answers 503 and releases it, never handles twice.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return await script(keys=keys, args=args)
    except RedisConnectionError:
        return await script(keys=keys, args=args)


def _pipelines_scripts(redis: Redis | RedisCluster) -> bool:
    """Whether ``redis`` can send EVALSHA in a pipeline.

    redis-py's cluster pipelines refuse it before 8.2, and 8.1 is the last redis-py for
    Python 3.10: there a cluster's calls go one round trip each.
    """
    import redis as redis_py
    from redis.asyncio import RedisCluster

    if not isinstance(redis, RedisCluster):
        return True
    version = re.match(r"(\d+)\.(\d+)", redis_py.__version__)
    return version is None or (int(version[1]), int(version[2])) >= (8, 2)
