"""Shared test configuration: every async test runs on asyncio and on trio."""

from __future__ import annotations

import pytest


@pytest.fixture(params=[pytest.param("asyncio", id="asyncio"), pytest.param("trio", id="trio")])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """The backends the SDK supports; the anyio plugin runs each async test on both."""
    return str(request.param)


# tests/package/core_only*.py run in a venv without the extras (nox -s package, and
# tests/package/test_core_only.py with the extras hidden), never in this process.
collect_ignore_glob = ["package/core_only*.py"]
