"""Fixtures of the CLI tests: the sandbox on a real socket, and the environment pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests._served import serving
from tests.cli._run import clean_env
from tests.cli._server import TOKEN, Ledger


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def api_env(ledger: Ledger) -> Iterator[dict[str, str]]:
    """EASIFY_API_TOKEN and EASIFY_BASE_URL of the sandbox, served on 127.0.0.1.

    The uvicorn server is one the session shares (tests/_served.py); the sandbox is the test's.
    """
    with serving(ledger.sandbox) as base_url:
        yield clean_env(EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=base_url)
