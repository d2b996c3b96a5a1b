"""What a user with only ``pip install easify-async`` (no extra) and pytest meets.

Not collected by the suite (tests/conftest.py ignores this folder): ``nox -s package``
copies this file out of the source tree into a fresh venv holding only the built wheel
and pytest, and runs it there; tests/package/test_core_only.py runs it in the
development venv with every extra hidden. Self-contained: it imports nothing of tests/.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXTRA_MODULES = {
    "cli": ["click", "rich"],
    "sandbox": ["starlette", "uvicorn"],
    "fastapi": ["fastapi"],
    "aiohttp": ["aiohttp"],
    "redis": ["redis"],
    "phone": ["phonenumbers"],
}


def installed(module: str) -> bool:
    """Whether ``module`` can be imported here."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError:
        return False
    return True


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command to the end, capturing its text output."""
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        args, capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


def install_hint(extra: str) -> str:
    """The command the one-line messages tell the user to run."""
    return f'pip install "easify-async[{extra}]"'


@pytest.mark.parametrize("module", [m for ms in EXTRA_MODULES.values() for m in ms])
def test_no_extra_is_installed(module: str) -> None:
    """These checks mean something only where no extra is installed."""
    assert not installed(module)


def test_the_core_sends_an_sms() -> None:
    """The client works with the core install: a send over an httpx mock transport."""
    code = textwrap.dedent(
        """
        import anyio, httpx, easify_async
        reply = {"status": True, "message": "SMS Processed successfully.", "data": {"sms_id": "7"}}
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=reply))

        async def main():
            async with easify_async.AsyncEasify("t", transport=transport) as easify:
                print((await easify.sms.send("3152930000", "+13151350000", message="Hi")).sms_id)

        anyio.run(main)
        """
    )
    done = run(sys.executable, "-c", code)
    assert (done.returncode, done.stdout) == (0, "7\n"), done.stderr


USER_TESTS = '''
import pytest

def test_my_own_code(pytestconfig):
    """A user's test, in a project that installed easify-async."""
    assert pytestconfig.pluginmanager.has_plugin("easify_sandbox")

@pytest.mark.anyio
async def test_uses_the_sandbox(easify_sandbox):
    """Fails without the extra."""
'''


def test_a_users_tests_run_green_with_the_plugin_loaded(tmp_path: Path) -> None:
    """The pytest plugin loads with the core install and does nothing unless used."""
    (tmp_path / "test_mine.py").write_text(USER_TESTS, encoding="utf-8")
    done = run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-k", "own", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_sandbox_fixture_names_the_extra(tmp_path: Path) -> None:
    """A test using ``easify_sandbox`` without the extra fails saying what to install."""
    (tmp_path / "test_mine.py").write_text(USER_TESTS, encoding="utf-8")
    done = run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert install_hint("sandbox") in done.stdout
    assert "Traceback" not in done.stdout


def _easify_commands() -> list[list[str]]:
    script = shutil.which("easify", path=str(Path(sys.executable).parent))
    assert script is not None, "the wheel installs the easify console script"
    return [[script, "--help"], [script, "sms", "send"], [sys.executable, "-m", "easify_async"]]


@pytest.mark.parametrize("command", _easify_commands(), ids=["help", "command", "python-m"])
def test_easify_without_the_cli_extra_says_what_to_install(command: list[str]) -> None:
    """One line on stderr naming the extra, nothing on stdout, exit 2: no traceback."""
    done = run(*command)
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert install_hint("cli") in done.stderr


MODULE_USES = {
    "sandbox": "import easify_async.sandbox",
    "fastapi": "import easify_async.webhooks.fastapi",
    "aiohttp": "import easify_async.webhooks.aiohttp",
    "redis-limiter": "from easify_async.limiters import RedisLimiter; RedisLimiter('redis://x')",
    "redis-guard": "from easify_async.webhooks import RedisReplayGuard; RedisReplayGuard('redis://x')",
    "redis-ledger": "from easify_async.ledgers import RedisLedger; RedisLedger('redis://x')",
}

PROBE = """
try:
    {use}
except ImportError as exc:
    print(isinstance(exc, ModuleNotFoundError), type(exc.__cause__).__name__)
    print(exc)
"""


@pytest.mark.parametrize("use", MODULE_USES.values(), ids=MODULE_USES.keys())
def test_each_module_names_its_missing_extra(use: str) -> None:
    """A ModuleNotFoundError whose one-line message names the extra, chained from the original."""
    extra = "redis" if "Redis" in use else use.rsplit(".", 1)[-1]
    done = run(sys.executable, "-c", PROBE.format(use=use))
    assert done.returncode == 0, done.stderr
    kind, message = done.stdout.splitlines()
    assert kind == "True ModuleNotFoundError"
    assert message.endswith(install_hint(extra))
