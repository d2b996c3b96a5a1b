"""Test doubles that stand in for the network, not for any part of the SDK."""

from __future__ import annotations

import contextlib
import json
import math
import random
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import httpx
from attrs import Factory, define

SMS_SENT = {"status": True, "message": " SMS Processed successfully.", "data": {"sms_id": "31529"}}


def reply(status: int = 200, body: Any = SMS_SENT, **headers: str) -> httpx.Response:
    """A JSON (or, for ``str``/``bytes`` bodies, raw) response."""
    if isinstance(body, (str, bytes)):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


class Counting(httpx.AsyncBaseTransport):
    """A real transport (the sandbox's, the network's) that records the requests that
    reached it, and how often it was closed, before passing them on."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.closed = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        self.closed += 1
        await self.inner.aclose()


@define
class Recorder:
    """An ``httpx.MockTransport`` that records every request and answers from a script."""

    answers: list[httpx.Response | Exception] = Factory(list)
    requests: list[httpx.Request] = Factory(list)
    default: httpx.Response | None = None

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else self.default or reply()
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def last_json(self) -> Any:
        return json.loads(self.requests[-1].content)


@define
class LaravelWindowServer:
    """Laravel's throttle (spec §4.5) as an in-process server with network latency.

    A fixed window per endpoint anchored at its first counted hit; the hit is counted
    when the request *arrives* (half the latency after it was sent); 429s do not count.
    With ``headers=False`` it sends no ``X-RateLimit-*`` headers (the 429's wait stays).
    """

    limit: int
    period: float
    latency: Callable[[], float] = lambda: random.uniform(0.0, 0.05)
    headers: bool = True
    window_start: float = -math.inf
    hits: int = 0
    rejected_at: list[float] = Factory(list)
    accepted: int = 0
    windows: list[int] = Factory(list)  # accepted requests per window, in order
    last_accept: float = 0.0
    accepted_at: list[float] = Factory(list)

    @property
    def rejected(self) -> int:
        return len(self.rejected_at)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        await anyio.sleep(self.latency() / 2)
        now = anyio.current_time()
        if now >= self.window_start + self.period:
            self.window_start, self.hits = now, 0
            self.windows.append(0)
        remaining = self.limit - self.hits
        if remaining <= 0:
            self.rejected_at.append(now)
            wait = max(1, math.ceil(self.window_start + self.period - now))
            response = reply(
                429,
                {
                    "status": False,
                    "message": f"Too many requests. Try again in {wait} seconds",
                    "errors": [],
                },
                **{
                    "Retry-After": str(wait),
                    "X-RateLimit-Limit": str(self.limit),
                    "X-RateLimit-Remaining": "0",
                },
            )
        else:
            self.hits += 1
            self.accepted += 1
            self.windows[-1] += 1
            self.last_accept = now
            self.accepted_at.append(now)
            response = reply(
                200,
                SMS_SENT,
                **{
                    "X-RateLimit-Limit": str(self.limit),
                    "X-RateLimit-Remaining": str(remaining - 1),
                },
            )
        if not self.headers:
            del response.headers["X-RateLimit-Limit"], response.headers["X-RateLimit-Remaining"]
        await anyio.sleep(self.latency() / 2)
        return response


@contextlib.contextmanager
def serving_raw(head: bytes, body: bytes) -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 that answers every request with these bytes.

    ``head`` is the status line and headers without ``Content-Length`` (added) or the blank
    line; for replies no ASGI server would write (a body that lies about its encoding).
    """
    whole = head + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)

    class Raw(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            self.request.sendall(whole)

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Raw) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
        server.shutdown()
