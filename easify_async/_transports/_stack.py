"""The one function that assembles the transport stack."""

from __future__ import annotations

import httpx
from attrs import define, frozen

from .._rate_limits import RateLimits
from ..limiters import Limiter, LocalLimiter
from ._admission import Admit
from ._before_send import BeforeSendTransport
from ._bounded import BoundedReplyTransport
from ._gate import ConnectionGate, GateTransport
from ._ratelimit import RateLimitTransport
from ._retry import RetryTransport

__all__ = ["RetryPolicy", "Stack", "build_transport", "network_transport"]


@frozen
class RetryPolicy:
    """How hard to try: attempts, overall deadline, and whether ambiguous sends repeat."""

    max_retries: int = 3
    deadline: float = 300.0
    resend_ambiguous: bool = False


@frozen
class Stack:
    """A client's transport stack, and how a call takes its first slot and place.

    Attributes:
        transport: the top of the stack, for the client's ``httpx.AsyncClient``.
        admit: awaited before a call's request is built; its `Admission` goes down in
            the request's ``ADMISSION_EXTENSION`` (see `Admit`).
    """

    transport: httpx.AsyncBaseTransport
    admit: Admit


@define(eq=False)  # a live object: equal only to itself
class _ClientTransport(httpx.AsyncBaseTransport):
    """Sends through a user's own ``httpx.AsyncClient`` so its settings all apply."""

    _client: httpx.AsyncClient

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)

    async def aclose(self) -> None:
        """The user's client is theirs to close."""

    @property
    def _pool(self) -> object:
        # What SharedNetwork sizes its gate by: the user's client's own pool, if httpx's.
        return getattr(getattr(self._client, "_transport", None), "_pool", None)


def network_transport(
    transport: httpx.AsyncBaseTransport | None, http_client: httpx.AsyncClient | None
) -> httpx.AsyncBaseTransport | None:
    """The bottom of the stack: the user's client or transport; ``None`` for the SDK's own pool."""
    if http_client is not None:
        return _ClientTransport(http_client)
    return transport


def build_transport(
    *,
    network: httpx.AsyncBaseTransport,
    gate: ConnectionGate,
    rate_limits: RateLimits | None,
    limiter: Limiter | None,
    token_key: str,
    retry: RetryPolicy,
) -> Stack:
    """retry ⟶ rate limit ⟶ gate ⟶ before-send hook ⟶ bounded read ⟶ network.

    Retry sits outside, so every attempt waits for its own slot; the hook sits inside,
    so it runs only once the request is really about to go out; the bounded read sits
    right on the network, so every layer above sees a whole reply in memory (or an
    exception) and no connection is left half read.

    The gate (shared by a client and its ``with_options`` children) sits below the rate
    limit, so a send waits for a connection while holding its slot, never the other
    way round: a place in the pool held while waiting for a slot would idle a connection
    for as long as a window (and a hundred such waits would stop every token). Holding
    the slot is safe for the server's window: a slot stays taken until ``period +
    margin`` after the *reply*, however late the request leaves, so no window can
    count more than ``limit`` of them; the wait only delays the slot's use, and it is
    short, since the gate is first come first served and the pool turns over a place
    per round trip. The gate sits above the before-send hook, so a request waiting
    for (or refused by) the gate is not yet journaled as possibly sent.

    A call's first attempt takes its slot and place (in that order) before its request
    is built (`Stack.admit`), and the two layers take them from the request instead of
    waiting: a call waiting for a slot then holds no request and no frame of httpx or
    of the stack. Its retries wait in the layers, as above.
    """
    stack: httpx.AsyncBaseTransport = GateTransport(
        BeforeSendTransport(BoundedReplyTransport(network)), gate
    )
    rate: RateLimitTransport | None = None
    if rate_limits is not None:
        stack = rate = RateLimitTransport(
            stack, limiter=limiter or LocalLimiter(), rate_limits=rate_limits, token_key=token_key
        )
    top = RetryTransport(
        stack,
        max_retries=retry.max_retries,
        deadline=retry.deadline,
        resend_ambiguous=retry.resend_ambiguous,
        # Without client-side limits the documented windows still bound a 429's wait.
        rate_limits=rate_limits or RateLimits(),
    )
    return Stack(top, Admit(gate, rate))
