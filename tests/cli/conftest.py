"""Fixtures of the CLI tests: a real HTTP server, and the environment pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli._run import clean_env
from tests.cli._server import TOKEN, Ledger, serve


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def api_env(ledger: Ledger) -> Iterator[dict[str, str]]:
    """EASIFY_API_TOKEN and EASIFY_BASE_URL of a server on 127.0.0.1 recording into ledger."""
    with serve(ledger) as base_url:
        yield clean_env(EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=base_url)
