"""The network end of a client's stack, lent to the clients ``with_options`` makes."""

from __future__ import annotations

import logging
import ssl

import anyio
import httpx
from attrs import define

from ._gate import PLACE_EXTENSION, ConnectionGate

__all__ = ["POOL_SIZE", "SharedNetwork"]

logger = logging.getLogger("easify_async")

#: Connections of the pool the SDK makes when given no transport (httpx's default).
POOL_SIZE = 100
# Each place at the gate has a pool of its own, of one connection, kept alive.
_ONE = httpx.Limits(max_connections=1, max_keepalive_connections=1)


class SharedNetwork(httpx.AsyncBaseTransport):
    """Owns the connection pool and its gate: closing it closes both; `borrowed` ends
    never close them.

    The SDK's own pool (no ``transport=``/``http_client=``) is a connection per place at
    the gate, each in an httpcore pool of one, made on first use. One pool of a hundred
    would do the same work, but httpcore rescans each of its connections, polling the
    idle ones' sockets, on every request and every reply: with a hundred connections
    that scan cost more than the rest of a send (benchmarks/bench_tokens.py).

    A ``PoolTimeout`` from below means a connection is held by nobody, since the gate
    lets in no more requests than there are connections: the pool has stopped making
    progress (httpcore issue #1093). A pool of the SDK's is then replaced by a fresh
    one, and the attempt (which never left) is retried into it; a pool the user gave is
    theirs, and the error says what happened (when the gate is as wide as that pool:
    httpx's own transport, or the pool of a given ``http_client``).
    """

    def __init__(self, transport: httpx.AsyncBaseTransport | None) -> None:
        """``transport=None``: the SDK's own pool of `POOL_SIZE` connections."""
        self._given = transport
        width = None if transport is None else _pool_size(transport)
        # Whether a PoolTimeout from below proves a stuck pool: the gate is its width.
        self._sized = transport is None or width is not None
        size = width or POOL_SIZE
        self._pools: list[httpx.AsyncBaseTransport | None] = (
            [None] * size if transport is None else []
        )
        self._retired: list[httpx.AsyncBaseTransport] = []
        self._ssl_context: ssl.SSLContext | None = None
        self.gate = ConnectionGate(size)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._given is not None:
            try:
                return await self._given.handle_async_request(request)
            except httpx.PoolTimeout as exc:
                if not self._sized:  # a transport of unknown width: the gate proves nothing
                    raise
                raise httpx.PoolTimeout(
                    f"{exc or 'PoolTimeout'} with at most {self.gate.size} requests in the "
                    "pool at once: it has stopped making progress (a connection nobody "
                    "holds); it is not the SDK's to replace (transport=/http_client=)",
                    request=request,
                ) from exc
        place: int = request.extensions[PLACE_EXTENSION]
        pool = self._pools[place] or self._new_pool(place)
        try:
            return await pool.handle_async_request(request)
        except httpx.PoolTimeout:
            if pool is self._pools[place]:
                logger.warning(
                    "a pooled connection stopped making progress (held by no request): "
                    "replaced by a fresh one"
                )
                # Retired, not closed at once: closing may wait on the stuck connection.
                self._retired.append(pool)
                self._pools[place] = None
            raise

    def _new_pool(self, place: int) -> httpx.AsyncBaseTransport:
        if self._ssl_context is None:  # made once, not per pool: loading it takes long
            self._ssl_context = httpx.create_ssl_context()
        pool = self._pools[place] = httpx.AsyncHTTPTransport(
            verify=self._ssl_context, retries=0, limits=_ONE
        )
        return pool

    async def aclose(self) -> None:
        """Refuse new requests, wait for those already sent, then close the pool."""
        try:
            await self.gate.close()
        finally:
            with anyio.CancelScope(shield=True):
                if self._given is not None:
                    await self._given.aclose()
                for pool in (*self._retired, *self._pools):
                    if pool is not None:
                        await pool.aclose()

    def borrowed(self) -> httpx.AsyncBaseTransport:
        """The same pool for another client's stack; its ``aclose`` leaves the pool open."""
        return _Borrowed(self)


@define(eq=False)  # a live object: equal only to itself
class _Borrowed(httpx.AsyncBaseTransport):
    _owner: SharedNetwork

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._owner.handle_async_request(request)

    async def aclose(self) -> None:
        """The pool is its owner's to close."""


def _pool_size(transport: httpx.AsyncBaseTransport) -> int | None:
    """The connections of ``transport``'s pool, when it is httpx's own; else ``None``.

    A transport of another kind (a wrapper, the sandbox's in-process one) gets a gate of
    `POOL_SIZE`: for it the gate only bounds how many requests are at work at once.
    """
    pool = getattr(transport, "_pool", None)  # httpx.AsyncHTTPTransport's httpcore pool
    size = getattr(pool, "_max_connections", None)
    return size if isinstance(size, int) and size > 0 else None
