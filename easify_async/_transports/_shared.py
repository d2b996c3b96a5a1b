"""The network end of a client's stack, lent to the clients ``with_options`` makes."""

from __future__ import annotations

import httpx

__all__ = ["SharedNetwork"]

_CLOSED = (
    "this client shares the connections of the client it was made from (with_options), "
    "and that client has been closed"
)


class SharedNetwork(httpx.AsyncBaseTransport):
    """Owns the connection pool: closing it closes the pool; `borrowed` ends never close it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        self.closed = True
        await self._inner.aclose()

    def borrowed(self) -> httpx.AsyncBaseTransport:
        """The same pool for another client's stack; its ``aclose`` leaves the pool open."""
        return _Borrowed(self)


class _Borrowed(httpx.AsyncBaseTransport):
    def __init__(self, owner: SharedNetwork) -> None:
        self._owner = owner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._owner.closed:
            # As httpx does for a closed client: a programming error, not an API failure.
            raise RuntimeError(_CLOSED)
        return await self._owner.handle_async_request(request)

    async def aclose(self) -> None:
        """The pool is its owner's to close."""
