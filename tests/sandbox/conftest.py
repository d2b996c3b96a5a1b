"""Sandbox test fixtures: a controllable clock, clients (raw httpx or the SDK's) in process
and over uvicorn.

Over uvicorn, a test's fresh sandbox is attached to a server the session shares
(tests/_served.py); ``easify_async.sandbox.serve`` itself is tested in test_behaviour.py.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any

import httpx
import pytest
from attrs import define

from easify_async import AsyncEasify, RateLimitError
from easify_async.sandbox import DEMO_TOKEN, Sandbox
from tests._served import served


@define
class FakeClock:
    """A monotonic clock that moves only when told to."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["in-process", "uvicorn"])
def where(request: pytest.FixtureRequest) -> str:
    """Each raw test runs against the in-process transport and a real uvicorn socket."""
    return str(request.param)


@asynccontextmanager
async def raw_client(
    sandbox: Sandbox, where: str, token: str | None = DEMO_TOKEN
) -> AsyncIterator[httpx.AsyncClient]:
    """A plain httpx client (no SDK) on ``.../api/v2/`` of ``sandbox``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if where == "uvicorn":
        async with (
            served(sandbox) as base_url,
            httpx.AsyncClient(base_url=base_url + "/", headers=headers) as client,
        ):
            yield client
    else:
        async with httpx.AsyncClient(
            base_url="http://sandbox.test/api/v2/", transport=sandbox.transport(), headers=headers
        ) as client:
            yield client


@asynccontextmanager
async def easify_on(
    sandbox: Sandbox, where: str, token: str = DEMO_TOKEN
) -> AsyncIterator[AsyncEasify]:
    """An ``AsyncEasify`` of ``token`` on the running ``sandbox`` (its webhooks deliver)."""
    if where == "uvicorn":
        async with served(sandbox) as base_url, AsyncEasify(token, base_url=base_url) as easify:
            yield easify
    else:
        async with sandbox, AsyncEasify(token, transport=sandbox.transport()) as easify:
            yield easify


#: ``connect(sandbox)`` or ``connect(sandbox, token)``: an ``AsyncEasify`` on the sandbox.
Connect = Callable[..., AbstractAsyncContextManager[AsyncEasify]]


@pytest.fixture
def connect(where: str) -> Connect:
    """``easify_on`` in process and over uvicorn, one test each."""
    return partial(easify_on, where=where)


async def assert_throttled_at(call: Callable[[AsyncEasify, int], Any], limit: int) -> None:
    """``call(easify, n)`` passes ``limit`` times in a window, then is the sandbox's 429.

    The client keeps no limits of its own and does not retry, so the server's count shows.
    """
    sandbox = Sandbox()
    async with (
        sandbox,
        AsyncEasify(
            DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None, max_retries=0
        ) as easify,
    ):
        for n in range(limit):
            await call(easify, n)
        with pytest.raises(RateLimitError):
            await call(easify, limit)


def php_json(body: Any) -> bytes:
    """What PHP's json_encode writes: compact, ASCII only, slashes escaped."""
    return json.dumps(body, separators=(",", ":")).replace("/", "\\/").encode()


# What the transport adds (uvicorn's date and server); everything else is asserted.
_TRANSPORT_HEADERS = {"date", "server", "content-length"}


def app_headers(response: httpx.Response) -> dict[str, str]:
    """The reply's headers as the app set them, names lowercased."""
    return {k: v for k, v in response.headers.items() if k not in _TRANSPORT_HEADERS}


def json_headers(**extra: str) -> dict[str, str]:
    """Laravel's JSON reply headers plus ``extra`` (``x_ratelimit_limit="15"`` style)."""
    headers = {"content-type": "application/json", "cache-control": "no-cache, private"}
    headers.update({k.replace("_", "-"): v for k, v in extra.items()})
    return headers
