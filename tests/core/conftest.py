"""Fixtures of the client's own tests: a client whose requests are recorded, never served."""

from __future__ import annotations

import httpx
import pytest

from easify_async import AsyncEasify


@pytest.fixture
def sent() -> list[httpx.Request]:
    """Every request the ``easify`` fixture's client sent (a refusal test wants none)."""
    return []


@pytest.fixture
def easify(sent: list[httpx.Request]) -> AsyncEasify:
    """A client on a transport that records each request in ``sent`` and answers 500."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return AsyncEasify("t", base_url="http://x/api/v2", transport=httpx.MockTransport(handle))
