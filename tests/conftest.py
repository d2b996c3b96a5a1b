"""Shared test configuration: every async test runs on asyncio and on trio."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

# The installed wheel's checks, which nox -s package runs in venvs of their own (see there).
collect_ignore = ["package"]

# EASIFY_TEST_BACKENDS=asyncio runs one backend only: nox -s versions, on the Pythons that
# the whole suite does not run on (see noxfile.py).
BACKENDS = os.environ.get("EASIFY_TEST_BACKENDS", "asyncio,trio").split(",")


@pytest.fixture(params=[pytest.param(backend, id=backend) for backend in BACKENDS])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """The backends the SDK supports; the anyio plugin runs each async test on both."""
    return str(request.param)


# tests/package/core_only*.py run in a venv without the extras (nox -s package, and
# tests/package/test_core_only.py with the extras hidden), never in this process.
collect_ignore_glob = ["package/core_only*.py"]


@pytest.fixture(autouse=True, scope="module")
def _collect_after_each_module() -> Iterator[None]:
    """A socket a module's tests leave open is closed by the garbage collector, with a
    ResourceWarning the suite turns into an error: in whichever test the collector next
    runs, on whichever worker (a flaky failure far from its cause). Collecting when each
    module ends makes it an error in the leaking module's last test, on every run."""
    yield
    gc.collect()
