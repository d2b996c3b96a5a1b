"""Real uvicorn servers that the whole test session shares, each serving one app at a time.

Starting and stopping uvicorn costs a quarter of a second (its main loop looks at
``should_exit`` every 0.1 s and its shutdown sleeps 0.1 s more); the sandbox's table cases
did that hundreds of times. Here a server stays up, and a test attaches its own fresh app
for as long as it needs it: the app's lifespan runs in the server's loop on attach and on
detach, as a server of its own would run it, so a sandbox delivers webhooks while it is
served. A test that serves two apps at once gets a second server.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import threading
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterator,
    MutableMapping,
)
from concurrent.futures import Future
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio.to_thread
import uvicorn
from uvicorn.lifespan.on import LifespanOn

from easify_async.sandbox import Sandbox

__all__ = ["served", "served_asgi", "serving", "serving_asgi"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@asynccontextmanager
async def served(sandbox: Sandbox) -> AsyncIterator[str]:
    """What ``easify_async.sandbox.serve`` gives, on a shared server: the ``.../api/v2`` URL."""
    async with served_asgi(sandbox.app) as origin:
        yield f"{origin}/api/v2"


@asynccontextmanager
async def served_asgi(app: Any) -> AsyncIterator[str]:
    """Serve the ASGI ``app`` on a shared uvicorn server; yields ``http://127.0.0.1:port``."""
    blocking = serving_asgi(app)
    origin = await anyio.to_thread.run_sync(blocking.__enter__)
    try:
        yield origin
    finally:
        await anyio.to_thread.run_sync(blocking.__exit__, None, None, None)


@contextmanager
def serving(sandbox: Sandbox) -> Iterator[str]:
    """``served`` for synchronous code (a CLI test's fixture): the ``.../api/v2`` URL."""
    with serving_asgi(sandbox.app) as origin:
        yield f"{origin}/api/v2"


@contextmanager
def serving_asgi(app: Any) -> Iterator[str]:
    """``served_asgi`` for synchronous code; blocks while the app's lifespan starts and ends."""
    server = _POOL.take()
    try:
        server.run(server.attach(app))
        try:
            yield server.origin
        finally:
            server.run(server.detach())
    finally:
        _POOL.give_back(server)


class _Server:
    """One uvicorn server in a thread of its own; requests go to the attached app."""

    def __init__(self) -> None:
        self._app: Any = None
        self._lifespan: LifespanOn | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        config = uvicorn.Config(self, host="127.0.0.1", port=0, log_level="warning")
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._uvicorn.run, name="easify-tests-uvicorn", daemon=True
        )
        self._thread.start()
        while not self._uvicorn.started:
            if not self._thread.is_alive():
                raise RuntimeError("the shared uvicorn server could not start")
            self._thread.join(0.005)
        port = self._uvicorn.servers[0].sockets[0].getsockname()[1]
        self.origin = f"http://127.0.0.1:{port}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._own_lifespan(receive, send)
        elif self._app is None:
            # A straggler of a test that has ended (a webhook its sandbox retried after
            # the receiver detached): answered as a stopped server's port would be, and
            # without an "Exception in ASGI application" in the log.
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"no app attached"})
        else:
            await self._app(scope, receive, send)

    async def _own_lifespan(self, receive: Receive, send: Send) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            message = await receive()
            await send({"type": f"{message['type']}.complete"})
            if message["type"] == "lifespan.shutdown":
                return

    def run(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run ``coroutine`` in the server's loop and wait for it (from another thread)."""
        assert self._loop is not None
        # An empty context: the caller's (trio's sniffio marker, say) must not reach the loop.
        future: Future[None] = contextvars.Context().run(
            asyncio.run_coroutine_threadsafe, coroutine, self._loop
        )
        future.result()

    async def attach(self, app: Any) -> None:
        # "auto", as serve() has it: an app without a lifespan is served all the same.
        lifespan = LifespanOn(uvicorn.Config(app, lifespan="auto", log_config=None))
        await lifespan.startup()
        if lifespan.should_exit:
            raise RuntimeError("the app's lifespan startup failed")
        self._app, self._lifespan = app, lifespan

    async def detach(self) -> None:
        lifespan, self._app, self._lifespan = self._lifespan, None, None
        assert lifespan is not None
        await lifespan.shutdown()
        if lifespan.should_exit:
            raise RuntimeError("the app's lifespan shutdown failed")

    def stop(self) -> None:
        # At the session's end: no waiting for a reply some test left sleeping (a latency).
        self._uvicorn.should_exit = self._uvicorn.force_exit = True
        self._thread.join(5)


class _Pool:
    """Idle servers; a new one only when every server is busy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Server] = []
        self._every: list[_Server] = []

    def take(self) -> _Server:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        server = _Server()
        with self._lock:
            self._every.append(server)
        return server

    def give_back(self, server: _Server) -> None:
        with self._lock:
            self._idle.append(server)

    def stop(self) -> None:
        for server in self._every:
            server.stop()


_POOL = _Pool()
atexit.register(_POOL.stop)
