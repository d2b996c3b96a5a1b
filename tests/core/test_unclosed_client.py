"""An `AsyncEasify` left open warns, naming the line that made it (issue 22.5)."""

from __future__ import annotations

import gc
import inspect
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from easify_async import AsyncEasify
from easify_async.sandbox import DEMO_TOKEN, Sandbox

pytestmark = pytest.mark.anyio


def collected() -> list[warnings.WarningMessage]:
    """The warnings emitted while the garbage is collected."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()
    return [w for w in caught if issubclass(w.category, ResourceWarning)]


async def test_a_used_client_left_open_warns_at_the_line_that_made_it() -> None:
    """The ResourceWarning points at the user's line and says how to close the client."""
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    easify = AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport())
    await easify.sms.templates()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del easify
        gc.collect()
    (warning,) = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert (warning.filename, warning.lineno) == (__file__, line)
    assert "unclosed <AsyncEasify base_url=" in str(warning.message)
    assert f"made at {__file__}:{line}" in str(warning.message)
    assert "await easify.aclose()" in str(warning.message)
    assert DEMO_TOKEN not in str(warning.message)


async def test_closed_unused_and_with_options_clients_do_not_warn() -> None:
    """Closed, never used, or made by with_options (it lives on its parent's pool)."""
    sandbox = Sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as closed:
        await closed.sms.templates()
    unused = AsyncEasify(DEMO_TOKEN, transport=sandbox.transport())
    parent = AsyncEasify(DEMO_TOKEN, transport=sandbox.transport())
    child = parent.with_options(timeout=5)
    await child.sms.templates()
    del closed, unused, child
    assert collected() == []
    await parent.aclose()
    del parent
    assert collected() == []


async def test_a_half_built_client_does_not_warn() -> None:
    """A constructor that raised leaves nothing to close, and nothing to warn about."""
    with pytest.raises(Exception, match="base_url"):
        AsyncEasify(DEMO_TOKEN, base_url="127.0.0.1:1/api/v2")
    assert collected() == []


LEAKING_TEST = """
import gc
import pytest
from easify_async import AsyncEasify
from easify_async.sandbox import DEMO_TOKEN, Sandbox

@pytest.mark.anyio
async def test_leaks_a_client() -> None:
    easify = AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport())
    await easify.sms.templates()
    del easify
    gc.collect()
"""


def test_our_suite_fails_a_test_that_leaks_a_client(tmp_path: Path) -> None:
    """pyproject's filterwarnings make the warning an error: a leaking test fails."""
    test = tmp_path / "test_leak.py"
    test.write_text(LEAKING_TEST)
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(pyproject), "-p", "no:xdist", "-p",
         "no:cacheprovider", "-q", str(test)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "ResourceWarning: unclosed <AsyncEasify" in done.stdout
