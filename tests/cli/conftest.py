"""Fixtures of the CLI tests: the sandbox on a real socket, and the environment pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from anyio.from_thread import start_blocking_portal

from easify_async.sandbox import serve
from tests.cli._run import clean_env
from tests.cli._server import TOKEN, Ledger


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def api_env(ledger: Ledger) -> Iterator[dict[str, str]]:
    """EASIFY_API_TOKEN and EASIFY_BASE_URL of the sandbox, served on 127.0.0.1."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(serve(ledger.sandbox)) as base_url,
    ):
        yield clean_env(EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=base_url)
