"""A task parked in a queue until another hands it its turn: the cheapest wait there is.

The limiter's and the gate's queues may hold thousands of sends at once (an agency's
thousand tokens, each with a burst waiting: benchmarks/bench_tokens.py). An anyio lock
or event per waiter costs a coroutine frame of anyio's and, on asyncio, an
``asyncio.Event`` with a deque of its own (some 1.5 KB a waiter, and a dozen objects
for the cyclic collector to walk); on trio, anyio's lock keeps a ``WouldBlock`` and its
traceback alive for the whole wait. A `Parked` is a future of the loop's (asyncio) or
the parked task itself (trio), awaited straight from the waiter's own frame.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from typing import Any

__all__ = ["GONE", "HANDED", "WAITING", "Parked"]

#: A `Parked`'s state: still in its queue, handed its turn, or gone (cancelled).
WAITING, HANDED, GONE = 0, 1, 2


class Parked:
    """One task waiting in a queue, woken by `hand` (once), first come first served by
    whoever keeps the queue.

    Made in the waiting task, which then awaits `wait` once. If that raises (the task
    was cancelled), the waiter must look at `state`: `HANDED` means the turn reached it
    as it was cancelled, and must be passed on; else it sets `GONE`, so the queue's
    keeper skips it (no O(n) removal from the queue).

    Attributes:
        state: `WAITING`, `HANDED` or `GONE`.
        value: what `hand` gave it (a place at the gate).
    """

    __slots__ = ("_future", "_task", "state", "value")

    def __init__(self) -> None:
        self.state = WAITING
        self.value: Any = None
        if _in_trio_task():
            self._task: Any = _trio().current_task()
            self._future: asyncio.Future[None] | None = None
        else:
            self._task = None
            self._future = asyncio.get_running_loop().create_future()

    def wait(self) -> Awaitable[Any]:
        """What the waiting task awaits, once: returns when handed its turn.

        Raises:
            BaseException: the task's cancellation (see the class for what to do then).
        """
        if self._future is not None:
            return self._future
        waiting: Awaitable[Any] = _trio().wait_task_rescheduled(self._abort)
        return waiting

    def _abort(self, _: object) -> Any:
        # trio cancels a task parked here: it was not handed its turn (a handed task is
        # rescheduled already, and is not aborted).
        self.state = GONE
        return _trio().Abort.SUCCEEDED

    def hand(self, value: Any = None) -> bool:
        """Wake the waiter with ``value``; ``False`` (nothing done) if it is gone."""
        if self.state != WAITING:
            return False
        future = self._future
        if future is not None:
            if future.done():  # cancelled, its task not yet run to see it
                self.state = GONE
                return False
            future.set_result(None)
        else:
            _trio().reschedule(self._task)
        self.state = HANDED
        self.value = value
        return True


_TRIO_LOWLEVEL: Any = None


def _in_trio_task() -> bool:
    """Whether the running task is trio's (anyio runs on asyncio or trio). Not sniffio's
    lookup: the package does not import sniffio (see pyproject.toml)."""
    trio = sys.modules.get("trio")
    if trio is None:
        return False
    in_trio_task = getattr(trio.lowlevel, "in_trio_task", None)  # not in trio 0.26 (the floor)
    if in_trio_task is not None:
        return bool(in_trio_task())
    try:
        trio.lowlevel.current_task()
    except RuntimeError:
        return False
    return True


def _trio() -> Any:
    """``trio.lowlevel``, imported on first use (trio is an optional backend)."""
    global _TRIO_LOWLEVEL
    if _TRIO_LOWLEVEL is None:
        import trio.lowlevel

        _TRIO_LOWLEVEL = trio.lowlevel
    return _TRIO_LOWLEVEL
