"""The scripts of concurrent deliveries to one Redis, sent together: one round trip for all.

A receiver under load handles many deliveries at once in one event loop; each claims its
keys and later confirms them, one script call each. Calls made in the same turn of the
loop go out in one pipeline, so the round trips (the bulk of the guard's cost: a write
and a wake-up each) are shared instead of one per delivery.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["Batcher"]

_Call = tuple["AsyncScript", list[str], list[Any], "asyncio.Future[Any]"]


class Batcher:
    """Runs scripts on ``redis``, the calls of one loop turn in one pipeline."""

    def __init__(self, redis: Redis | RedisCluster) -> None:
        self._redis = redis
        self._pipelines_scripts = _pipelines_scripts(redis)
        self._pending: list[_Call] = []
        self._sending: set[asyncio.Task[None]] = (
            set()
        )  # held: a task only weakly referenced may vanish

    async def run(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        """``script(keys=keys, args=args)``, sent with the calls of the same loop turn."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if not self._pending:
            # After every task ready in this turn has queued its call.
            loop.call_soon(self._flush)
        self._pending.append((script, keys, args, future))
        return await future

    def _flush(self) -> None:
        calls, self._pending = self._pending, []
        task = asyncio.ensure_future(self._send(calls))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, calls: list[_Call]) -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError

        try:
            if len(calls) == 1:
                script, keys, args, _ = calls[0]
                results: list[Any] = [await _once_more(script, keys, args)]
            elif not self._pipelines_scripts:  # a round trip each (see _pipelines_scripts)
                results = []
                for script, keys, args, _ in calls:
                    try:
                        results.append(await _once_more(script, keys, args))
                    except Exception as exc:
                        results.append(exc)
            else:
                try:
                    results = await self._pipelined(calls)
                except RedisConnectionError:  # see _once_more
                    results = await self._pipelined(calls)
        except Exception as exc:  # for each caller to raise as its own
            results = [exc] * len(calls)
        except BaseException:  # the loop is closing: so are the callers
            for *_, future in calls:
                future.cancel()
            raise
        for (*_, future), result in zip(calls, results, strict=True):
            if future.done():  # its caller was cancelled
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def _pipelined(self, calls: list[_Call]) -> list[Any]:
        from redis.exceptions import NoScriptError

        pipe = self._redis.pipeline(transaction=False)
        for script, keys, args, _ in calls:
            pipe.evalsha(script.sha, len(keys), *keys, *args)
        results: list[Any] = await pipe.execute(raise_on_error=False)
        for index, result in enumerate(results):
            if isinstance(result, NoScriptError):
                # A restarted Redis forgot the scripts: the call did not run; the script's
                # own call loads it and runs it.
                script, keys, args, _ = calls[index]
                results[index] = await script(keys=keys, args=args)
        return results


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
