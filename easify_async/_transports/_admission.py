"""A call's first rate-limit slot and gate place, taken before its request is built."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

import anyio
from attrs import define

if TYPE_CHECKING:  # the layers that take an admission import this module
    from .._routes import AnyRoute
    from ..limiters import Lease
    from ._gate import ConnectionGate
    from ._ratelimit import RateLimitTransport

__all__ = ["ADMISSION_EXTENSION", "Admission", "Admit"]

#: Request extension holding the `Admission` its first attempt goes out with.
ADMISSION_EXTENSION = "easify.admission"


class Admission:
    """The slot and place of a call's first attempt, handed down to the layers that take
    them (`RateLimitTransport`, `GateTransport`): each takes its part once, so a retry
    waits in the layers as any attempt does.

    Slotted and small: thousands of calls may hold one while they wait.
    """

    __slots__ = ("_gate", "lease", "place", "wait")

    def __init__(
        self, gate: ConnectionGate, lease: Lease | None, place: int | None, wait: float
    ) -> None:
        self._gate = gate
        self.lease = lease
        self.place = place
        #: Seconds the slot took: the first attempt's ``limiter_wait``.
        self.wait = wait

    @property
    def held(self) -> bool:
        """Whether a layer has yet to take the slot or the place (see `give_back`)."""
        return self.lease is not None or self.place is not None

    def take_lease(self) -> Lease | None:
        """The first attempt's slot, once; ``None`` after (or when there are no limits)."""
        lease, self.lease = self.lease, None
        return lease

    def take_place(self) -> int | None:
        """The first attempt's place at the gate, once; ``None`` after."""
        place, self.place = self.place, None
        return place

    async def give_back(self) -> None:
        """Free what no layer took: the request never got that far, so never went out
        (its build failed, its client was closed, it was cancelled on the way)."""
        place, lease = self.take_place(), self.take_lease()
        # Shielded: a cancelled call must still give its slot and place back.
        with anyio.CancelScope(shield=True):
            if place is not None:
                self._gate.leave(place)
            if lease is not None:
                await lease.release(counted=False)


@define(eq=False)  # a live object: equal only to itself
class Admit:
    """How a call takes its first slot (when the client has limits), then its place at
    the gate, in the order the stack takes them (see `build_transport`)::

        admission = await admit.place(await admit.slot(route), waited)

    Done before the request is built, a call waiting for its slot holds no request, no
    headers and no httpx or transport frames; two steps, so that no frame of this class
    waits beside the limiter's: thousands of such waits are cheap
    (benchmarks/bench_tokens.py, memory per waiting send).
    """

    _gate: ConnectionGate
    _rate: RateLimitTransport | None

    def slot(self, route: AnyRoute) -> Awaitable[Lease | None]:
        """Wait for the first attempt's slot of ``route``; ``None`` without limits."""
        return _no_slot() if self._rate is None else self._rate.acquire(route)

    async def place(self, lease: Lease | None, waited: float) -> Admission:
        """Wait for a place at the gate, holding ``lease`` (taken in ``waited`` seconds).

        Returns:
            The call's `Admission`, to pass down in the request's ``ADMISSION_EXTENSION``.

        Raises:
            RuntimeError: the client was closed (the slot given back, nothing sent).
        """
        try:
            # Most calls find a place free: no coroutine of the gate's is made for them.
            place = self._gate.enter_now()
            if place is None:
                place = await self._gate.enter()
        except BaseException:
            if lease is not None:
                with anyio.CancelScope(shield=True):
                    await lease.release(counted=False)  # it never went out
            raise
        return Admission(self._gate, lease, place, waited)


async def _no_slot() -> None:
    return None
