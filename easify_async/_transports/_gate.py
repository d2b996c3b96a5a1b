"""The bounded hand-off between rate-limit slots and the pool's connections."""

from __future__ import annotations

from collections import deque

import anyio
import httpx
from attrs import define

from .._parking import GONE, HANDED, Parked
from ._admission import ADMISSION_EXTENSION, Admission

__all__ = ["PLACE_EXTENSION", "ConnectionGate", "GateTransport"]

#: Request extension holding the request's place at the gate (see `ConnectionGate`):
#: the pool below may keep a connection per place.
PLACE_EXTENSION = "easify.place"

# Met by a with_options child's request once its parent is closed, and by a request
# that was already on its way (waiting for a slot or a connection) when its own
# client was closed; after that, httpx refuses the closed client's requests itself.
_CLOSED = (
    "the client that owns these connections has been closed (this one, or the one it "
    "was made from with with_options)"
)


# What a waiter is handed when the gate closes: no place (places are 0 .. size - 1).
_REFUSED = -1


class ConnectionGate:
    """Lets at most ``size`` requests into the connection pool at once, each with a place
    of its own (``0 .. size - 1``); the others wait here, first come first served.

    httpcore's pool is no place to queue: it rescans every waiting request against
    every connection on each event, and a request cancelled while it waits there can
    leave a connection slot taken for good (httpcore issue #1093). Sized to the pool's
    connections, the gate keeps the pool's own queue empty: a request that passes it
    finds a connection free, or one that nobody holds (the pool is stuck).

    A waiter is a `Parked` (one future on asyncio, the parked task on trio), nothing
    more (no event, no cancel scope, no timer): thousands of sends may wait here at
    once. Its wait has no deadline of its own, because every request inside ends
    within its own timeouts, each handing its place on; a pool that stops making
    progress shows as a ``PoolTimeout`` inside (see `SharedNetwork`). Freed places are
    reused last in, first out, so that the requests of a quiet client keep going to the
    few connections that are still open.

    Closing refuses every waiter and later request with ``RuntimeError`` before it
    goes out, and waits until the requests inside have ended.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.closed = False
        self._free = list(range(size - 1, -1, -1))  # a stack: place 0 first
        # A cancelled waiter stays queued, marked gone, and is skipped when its turn
        # comes: removing it from the deque would cost O(waiters) per cancellation.
        self._queue: deque[Parked] = deque()
        self._drained: anyio.Event | None = None

    async def enter(self) -> int:
        """Wait for a place inside, and take it.

        Returns:
            The place, to hand back to `leave`.

        Raises:
            RuntimeError: the gate is closed (the request did not go out).
        """
        place = self.enter_now()
        if place is not None:
            return place
        waiter = Parked()
        self._queue.append(waiter)
        try:
            await waiter.wait()
        except BaseException:
            if waiter.state != HANDED:
                waiter.state = GONE
            elif waiter.value != _REFUSED:  # handed a place as it was cancelled: pass it on
                self.leave(waiter.value)
            raise
        if waiter.value == _REFUSED:
            raise RuntimeError(_CLOSED)
        given: int = waiter.value
        return given

    def enter_now(self) -> int | None:
        """A place inside if one is free and nobody waits (else ``None``), without waiting.

        Raises:
            RuntimeError: the gate is closed (the request did not go out).
        """
        if self.closed:
            raise RuntimeError(_CLOSED)
        if self._free and not self._queue:
            return self._free.pop()
        return None

    def leave(self, place: int) -> None:
        """Give ``place`` back: to the first waiter still waiting, else to the gate."""
        queue = self._queue
        while queue:
            if queue.popleft().hand(place):  # else it is gone: skipped
                return
        self._free.append(place)
        if len(self._free) == self.size and self._drained is not None:
            self._drained.set()

    async def close(self) -> None:
        """Refuse new requests and waiters, then wait for the requests inside to end."""
        self.closed = True
        while self._queue:
            self._queue.popleft().hand(_REFUSED)
        if len(self._free) < self.size:
            self._drained = drained = anyio.Event()
            await drained.wait()  # each request inside gives its place back as it ends


@define(eq=False)  # a live object: equal only to itself
class GateTransport(httpx.AsyncBaseTransport):
    """Passes each request through a `ConnectionGate` shared with the client's siblings."""

    _inner: httpx.AsyncBaseTransport
    _gate: ConnectionGate

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        gate = self._gate
        # A call's first attempt comes with its place taken already (see `Admit`).
        admission: Admission | None = request.extensions.get(ADMISSION_EXTENSION)
        place = None if admission is None else admission.take_place()
        if place is None:
            place = await gate.enter()
        request.extensions[PLACE_EXTENSION] = place
        try:
            # The layers below read the reply whole: once this returns, the connection
            # is back in the pool, and the place can go to the next request.
            return await self._inner.handle_async_request(request)
        finally:
            gate.leave(place)

    async def aclose(self) -> None:
        await self._inner.aclose()
