"""Fixtures of the client's own tests: a client whose requests are recorded, never served."""

from __future__ import annotations

import httpx
import pytest

from easify_async import AsyncEasify
from tests._recording import recording_client


@pytest.fixture
def sent() -> list[httpx.Request]:
    """Every request the ``easify`` fixture's client sent (a refusal test wants none)."""
    return []


@pytest.fixture
def easify(sent: list[httpx.Request]) -> AsyncEasify:
    """A client on a transport that records each request in ``sent`` and answers 500."""
    return recording_client(sent)
