"""A raw HTTP/1.1 server on 127.0.0.1 that answers with whatever bytes a test scripts.

No framework in between: a handler sees each request it read and writes (or withholds,
trickles, resets) the reply itself, so that replies no real server would send can be sent.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

import anyio
from anyio.abc import SocketAttribute, SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream
from attrs import frozen


@frozen
class Exchange:
    """One request as the server read it."""

    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes


#: Answers one request on ``stream``; returns whether the connection stays open.
Handler = Callable[[Exchange, SocketStream], Awaitable[bool]]


def head(status: int, headers: Mapping[str, str] = {}, *, length: int | None = None) -> bytes:
    """A status line and headers; ``Content-Length`` when ``length`` is given."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def respond(
    stream: SocketStream,
    status: int,
    body: bytes,
    headers: Mapping[str, str] = {},
) -> None:
    """A whole reply with its Content-Length."""
    await stream.send(head(status, headers, length=len(body)) + body)


async def reset(stream: SocketStream) -> None:
    """Drop the connection with a TCP reset (SO_LINGER 0), not a clean close."""
    raw = stream.extra(SocketAttribute.raw_socket)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    await stream.aclose()


@asynccontextmanager
async def raw_server(
    handler: Handler, *, accept: Callable[[], bool] = lambda: True
) -> AsyncIterator[str]:
    """Serve ``handler`` on a free port; yields the base URL (``.../api/v2``).

    A connection for which ``accept()`` is false is reset before anything is read.
    """
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(SocketAttribute.local_port)

    async def connection(stream: SocketStream) -> None:
        try:
            if not accept():
                await reset(stream)
                return
            await _serve(handler, stream)
        except Exception:
            pass
        finally:
            await stream.aclose()

    async with listener, anyio.create_task_group() as tasks:
        tasks.start_soon(listener.serve, connection)
        try:
            yield f"http://127.0.0.1:{port}/api/v2"
        finally:
            tasks.cancel_scope.cancel()


async def _serve(handler: Handler, stream: SocketStream) -> None:
    reader = BufferedByteReceiveStream(stream)
    while True:
        try:
            request_head = await reader.receive_until(b"\r\n\r\n", 65536)
        except (anyio.EndOfStream, anyio.IncompleteRead):
            return
        request_line, *header_lines = request_head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        body = await reader.receive_exactly(length) if length else b""
        if not await handler(Exchange(method, target, headers, body), stream):
            return
