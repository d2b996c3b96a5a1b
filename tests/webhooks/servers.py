"""Real servers on 127.0.0.1 for the receiver tests: uvicorn and aiohttp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from easify_async.sandbox._server import serve_asgi

__all__ = ["serve_aiohttp", "serve_asgi"]


@asynccontextmanager
async def serve_aiohttp(app: Any) -> AsyncIterator[str]:
    """Serve an aiohttp application on a free loopback port; yields its origin."""
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # aiohttp exposes no public accessor
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
