"""Serving a sandbox over a real socket with uvicorn."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread

from .._extras import needs_extra
from ._sandbox import Sandbox
from ._state import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN

__all__ = ["serve", "serve_asgi", "serve_forever"]


@asynccontextmanager
async def serve(sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve ``sandbox`` with uvicorn on ``host:port`` (0: a free port); yields the base URL.

    uvicorn runs asyncio, so it gets a thread of its own; this works from asyncio and
    trio alike. The sandbox delivers webhooks while it is served.

    Examples:
        >>> async with serve(Sandbox(period=0.5)) as base_url:  # doctest: +SKIP
        ...     easify = AsyncEasify(DEMO_TOKEN, base_url=base_url)
    """
    async with serve_asgi(sandbox.app, host=host, port=port) as origin:
        yield f"{origin}/api/v2"


@asynccontextmanager
async def serve_asgi(app: Any, *, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve any ASGI app with uvicorn in a thread; yields ``http://host:port``."""
    with needs_extra("sandbox", "serving the sandbox"):
        import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="easify-uvicorn", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"uvicorn could not start on {host}:{port}")
        await anyio.sleep(0.01)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        await anyio.to_thread.run_sync(thread.join)


def serve_forever(*, port: int = 8025, period: float = 60.0, host: str = "127.0.0.1") -> None:
    """Serve a fresh sandbox until interrupted (``easify sandbox``).

    Raises:
        OSError: ``host:port`` cannot be listened on (a busy port), before anything is
            printed.
    """
    with needs_extra("sandbox", "serving the sandbox"):
        import uvicorn

    # Bound here, not by uvicorn: a busy port is an OSError for the caller to report,
    # before the banner, instead of uvicorn's log line and exit.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    with sock:
        print(f"Easify sandbox on http://{host}:{port}/api/v2 (rate-limit period {period:g} s)")
        print(f"  token {DEMO_TOKEN}   from_number {DEMO_FROM_NUMBER}   sender {DEMO_SENDER}")
        config = uvicorn.Config(Sandbox(period=period).app, log_level="warning")
        # uvicorn shuts down on Ctrl-C, then raises the signal again: on Python 3.10 that is
        # a KeyboardInterrupt here (3.11's asyncio.run absorbs it). Either way the server
        # stopped as asked, which is this command's normal end (exit 0).
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[sock])
