"""A transport that runs a request's own hooks around each attempt, next to the network."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from attrs import define

from ._attempts import NotSentReason
from ._retry import not_sent_reason

__all__ = ["BEFORE_SEND_EXTENSION", "NOT_SENT_EXTENSION", "BeforeSendTransport"]

#: Request extension holding an ``async () -> None`` to await just before the request goes
#: out, after any wait for a rate-limit slot (bulk sending journals ``in_flight`` there).
BEFORE_SEND_EXTENSION = "easify.before_send"

#: Request extension holding an ``async (NotSentReason) -> None`` to await when an attempt
#: is over and the server certainly did not act on it, before any retry's wait (bulk
#: sending journals ``not_sent`` there, so a crash during the wait resends the item).
NOT_SENT_EXTENSION = "easify.not_sent"


@define(eq=False)  # a live object: equal only to itself
class BeforeSendTransport(httpx.AsyncBaseTransport):
    """Awaits the request's ``BEFORE_SEND_EXTENSION`` hook, if any, then sends it.

    Afterwards awaits its ``NOT_SENT_EXTENSION`` hook, if any, when the attempt ended in
    a 429 or never connected.
    """

    _inner: httpx.AsyncBaseTransport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        hook: Callable[[], Awaitable[None]] | None = request.extensions.get(BEFORE_SEND_EXTENSION)
        if hook is not None:
            await hook()
        not_sent: Callable[[NotSentReason], Awaitable[None]] | None = request.extensions.get(
            NOT_SENT_EXTENSION
        )
        if not_sent is None:
            return await self._inner.handle_async_request(request)
        try:
            response = await self._inner.handle_async_request(request)
        except Exception as exc:
            reason = not_sent_reason(exc, request)
            if reason is not None:
                await not_sent(reason)
            raise
        if response.status_code == 429:
            try:
                await not_sent("rate_limited")
            except BaseException:
                await response.aclose()  # the connection goes back to the pool
                raise
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
