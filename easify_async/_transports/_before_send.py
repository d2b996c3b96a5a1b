"""A transport that runs a request's own hook at the last moment before the network."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

__all__ = ["BEFORE_SEND_EXTENSION", "BeforeSendTransport"]

#: Request extension holding an ``async () -> None`` to await just before the request goes
#: out, after any wait for a rate-limit slot (bulk sending journals ``in_flight`` there).
BEFORE_SEND_EXTENSION = "easify.before_send"


class BeforeSendTransport(httpx.AsyncBaseTransport):
    """Awaits the request's ``BEFORE_SEND_EXTENSION`` hook, if any, then sends it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        hook: Callable[[], Awaitable[None]] | None = request.extensions.get(BEFORE_SEND_EXTENSION)
        if hook is not None:
            await hook()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
