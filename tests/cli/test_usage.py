"""The command line's shape: entry points, help, usage errors and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests._hiding import hiding
from tests.cli._run import clean_env, easify


def test_python_dash_m_runs_the_same_command() -> None:
    """`python -m easify_async` is the `easify` command."""
    done = subprocess.run(
        [sys.executable, "-m", "easify_async", "--help"],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: easify ")


def test_help_documents_the_exit_codes() -> None:
    """`easify --help` lists every exit code a script may see."""
    done = easify("--help")
    assert done.code == 0
    for line in (
        "1    internal error (a bug): rerun with EASIFY_DEBUG=1 for the traceback",
        "2    usage error",
        "3    the API refused",
        "4    a bulk run",
        "5    connection",
        "7    a bulk run where some rows may have been sent",
    ):
        assert line in done.out


@pytest.mark.parametrize(
    ("command", "verb"),
    [(("sms", "bulk"), "sent"), (("email", "bulk"), "sent"), (("contacts", "import"), "created")],
    ids=["sms", "email", "contacts"],
)
def test_bulk_help_documents_its_exit_codes(command: tuple[str, str], verb: str) -> None:
    """`sms bulk --help` and the like tell 4 (failed), 3 (stopped), 7 (may have been sent)."""
    done = easify(*command, "--help")
    text = " ".join(done.out.split())
    assert f"4 some rows failed or were not {verb}" in text
    assert "3 stopped at a refusal no row can pass" in text
    assert (
        f"7 some rows may have been {verb} (check them before resending; wins over 3 and 4)" in text
    )


_WITHOUT_CLI_EXTRA = (
    hiding("click", "rich")
    + """
import easify_async, easify_async.bulk
print("_cli" in dir(easify_async))
"""
)


def test_the_package_works_without_the_cli_extra() -> None:
    """`import easify_async` needs neither click nor rich (only the command line does)."""
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_CLI_EXTRA], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr


def test_missing_token_is_a_usage_error() -> None:
    """Without --token or EASIFY_API_TOKEN a command that calls the API exits 2 and says why."""
    done = easify("sms", "status", "123")
    assert done.code == 2
    assert "pass --token or set EASIFY_API_TOKEN" in done.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["sms", "send", "--to", "+13151350000"], "--from", id="missing-option"),
        pytest.param(["sms", "frobnicate"], "No such command", id="unknown-command"),
        pytest.param(
            ["email", "send", "--additional-data", "[1]", "--to", "a@b.co", "--subject", "s"],
            "must be a JSON object",
            id="bad-json-data",
        ),
        pytest.param(
            ["sms", "wait", "1", "--poll-interval", "0"], "--poll-interval", id="bad-interval"
        ),
    ],
)
def test_bad_command_lines_exit_2(args: list[str], message: str) -> None:
    """click's usage errors keep their exit code, 2, and name the problem in one line."""
    done = easify(*args, "--token", "t")
    assert done.code == 2
    assert message in done.err
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert "--help)" in done.err  # where to read the usage


_WITHOUT = """
import sys
from easify_async._cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize(
    ("hidden", "args", "extra"),
    [
        pytest.param(("click",), ["--version"], "cli", id="no-click"),
        pytest.param(("rich",), ["--version"], "cli", id="no-rich"),
        pytest.param(("starlette",), ["sandbox"], "sandbox", id="sandbox"),
        pytest.param(("uvicorn",), ["sandbox"], "sandbox", id="sandbox-no-uvicorn"),
        pytest.param(("starlette",), ["demo"], "sandbox", id="demo"),
    ],
)
def test_a_missing_extra_is_one_line_naming_it(
    hidden: tuple[str, ...], args: list[str], extra: str
) -> None:
    """Exit 2, nothing on stdout, one line on stderr: the extra to install, no traceback."""
    done = subprocess.run(
        [sys.executable, "-c", hiding(*hidden) + _WITHOUT, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: ")
    assert f'pip install "easify-async[{extra}]"' in done.stderr


@pytest.mark.parametrize("args", [[], ["sms"]], ids=["easify", "easify-sms"])
def test_a_group_without_a_command_shows_its_help(args: list[str]) -> None:
    """`easify` alone shows its help as click does (exit 2), not squeezed into an error line."""
    done = easify(*args)
    assert done.code == 2
    assert done.err.startswith(f"Usage: easify {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND")
    assert "\nCommands:\n" in done.err
