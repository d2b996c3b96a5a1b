"""The one function that assembles the transport stack."""

from __future__ import annotations

import httpx
from attrs import frozen

from .._rate_limits import RateLimits
from ..limiters import Limiter, LocalLimiter
from ._before_send import BeforeSendTransport
from ._bounded import BoundedReplyTransport
from ._ratelimit import RateLimitTransport
from ._retry import RetryTransport

__all__ = ["RetryPolicy", "build_transport", "network_transport"]


@frozen
class RetryPolicy:
    """How hard to try: attempts, overall deadline, and whether ambiguous sends repeat."""

    max_retries: int = 3
    deadline: float = 300.0
    resend_ambiguous: bool = False


class _ClientTransport(httpx.AsyncBaseTransport):
    """Sends through a user's own ``httpx.AsyncClient`` so its settings all apply."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)

    async def aclose(self) -> None:
        """The user's client is theirs to close."""


def network_transport(
    transport: httpx.AsyncBaseTransport | None, http_client: httpx.AsyncClient | None
) -> httpx.AsyncBaseTransport:
    """The bottom of the stack: the user's client or transport, else httpx's own pool."""
    if http_client is not None:
        return _ClientTransport(http_client)
    return transport or httpx.AsyncHTTPTransport(retries=0)


def build_transport(
    *,
    transport: httpx.AsyncBaseTransport | None,
    http_client: httpx.AsyncClient | None,
    rate_limits: RateLimits | None,
    limiter: Limiter | None,
    token_key: str,
    retry: RetryPolicy,
) -> httpx.AsyncBaseTransport:
    """retry ⟶ rate limit ⟶ before-send hook ⟶ bounded read ⟶ network.

    Retry sits outside, so every attempt waits for its own slot; the hook sits inside,
    so it runs only once the request is really about to go out; the bounded read sits
    right on the network, so every layer above sees a whole reply in memory (or an
    exception) and no connection is left half read.
    """
    network = network_transport(transport, http_client)
    stack: httpx.AsyncBaseTransport = BeforeSendTransport(BoundedReplyTransport(network))
    if rate_limits is not None:
        stack = RateLimitTransport(
            stack, limiter=limiter or LocalLimiter(), rate_limits=rate_limits, token_key=token_key
        )
    return RetryTransport(
        stack,
        max_retries=retry.max_retries,
        deadline=retry.deadline,
        resend_ambiguous=retry.resend_ambiguous,
        # Without client-side limits the documented windows still bound a 429's wait.
        rate_limits=rate_limits or RateLimits(),
    )
