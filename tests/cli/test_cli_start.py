"""A cheap start: commands import their modules on use; --help lists them all regardless."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from easify_async import __version__
from easify_async._cli._lazy import LazyGroup
from easify_async._cli._main import cli
from tests.cli._run import clean_env, easify

# Runs the entry point in-process, then prints the modules it loaded (as JSON).
_PROBE = """
import json, sys
from easify_async._cli._main import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

# Heavy for a start: the client and the request path, and what they import.
_HEAVY = ("httpx", "rich", "cattrs", "easify_async._client", "easify_async._serde")


def _loaded(*args: str) -> tuple[int, set[str]]:
    """The exit code of ``easify ARGS`` and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=True,
    )
    probed = json.loads(done.stderr.splitlines()[-1])
    return probed["code"], set(probed["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith(_HEAVY))


def test_version_imports_no_command_httpx_rich_or_client() -> None:
    """`easify --version` prints the version and loads no command module, httpx or rich."""
    done = easify("--version")
    assert (done.code, done.out, done.err) == (0, f"easify, version {__version__}\n", "")
    code, modules = _loaded("--version")
    assert code == 0
    assert _heavy(modules) == []
    assert {m for m in modules if m.startswith("easify_async._cli.")} == {
        "easify_async._cli._lazy",
        "easify_async._cli._main",
        "easify_async._cli._output",
        "easify_async._cli._run",
    }


def test_help_lists_every_command_importing_none() -> None:
    """`easify --help` lists every command with its short help (cut as click cuts it) and
    imports no command module."""
    done = easify("--help")
    assert done.code == 0
    assert done.out.endswith(
        "Commands:\n"
        "  calls      Your voice-call history.\n"
        "  campaigns  SMS campaigns: send one from templates and a CSV, follow it,...\n"
        "  contacts   Your contacts: list, create, update, delete, export to and...\n"
        "  demo       Bulk-send through the real client to an in-process sandbox;...\n"
        "  email      Send emails, one or a CSV file of them; the status of one...\n"
        "  groups     Your contact groups (the main user's shared group included).\n"
        "  journal    A bulk run's journal: show its rows, settle the maybe-sent...\n"
        "  ledger     An idempotency ledger: show and settle its ambiguous keys.\n"
        "  numbers    Your Easify numbers and their incoming-SMS webhooks.\n"
        "  sandbox    Serve the sandbox (a faithful local Easify API) with uvicorn...\n"
        "  sms        Send SMS/MMS, read their delivery status, send a CSV file.\n"
        "  subusers   Your sub-users and their API tokens (main user only).\n"
        "  templates  The SMS templates approved in the web app (for campaigns).\n"
        "  webhook    Work with Easify's signed delivery webhooks.\n"
    )
    code, modules = _loaded("--help")
    assert code == 0
    assert _heavy(modules) == []
    assert "easify_async._cli._sms" not in modules


def test_a_group_lists_its_lazy_commands_beside_its_own() -> None:
    """`easify sms --help` lists report and history (from _history.py) without importing
    them; `easify email --help` lists senders."""
    done = easify("sms", "--help")
    assert done.code == 0
    commands = done.out.partition("Commands:\n")[2].splitlines()
    assert [line.split()[0] for line in commands] == [
        "bulk", "history", "report", "send", "status", "wait",
    ]  # fmt: skip
    assert "  history  The conversation between one of your numbers and another,..." in commands
    _, modules = _loaded("sms", "--help")
    assert "easify_async._cli._history" not in modules
    assert "senders  List your verified sender addresses." in easify("email", "--help").out


def _leaves(group: click.Group, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The path of every command (not group) under ``group``."""
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _leaves(command, (*path, name))
        else:
            found.append((*path, name))
    return found


_LEAVES = _leaves(cli, ())


@pytest.mark.parametrize("path", _LEAVES, ids=[" ".join(p) for p in _LEAVES])
def test_a_command_help_imports_no_client_converter_or_rich(path: tuple[str, ...]) -> None:
    """`easify ... --help` of every command: its module defers the client, httpx, cattrs,
    rich and the bulk engine to the command's run."""
    code, modules = _loaded(*path, "--help")
    assert code == 0
    assert _heavy(modules) == []
    assert not {m for m in modules if m.startswith("easify_async._bulk")}


def test_a_command_imports_its_module_only() -> None:
    """`easify sms send --help` imports the sms commands, not the others."""
    code, modules = _loaded("sms", "send", "--help")
    assert code == 0
    assert "easify_async._cli._sms" in modules
    for other in ("_history", "_accounts", "_campaigns", "_contacts", "_demo", "_webhook"):
        assert f"easify_async._cli.{other}" not in modules


def _lazy_entries(group: click.Group, path: str) -> list[tuple[str, LazyGroup, str]]:
    """Every (command path, group, name) of a lazy subcommand under ``group``."""
    found = []
    if isinstance(group, LazyGroup):
        found += [(f"{path} {name}", group, name) for name in group.lazy]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _lazy_entries(command, f"{path} {name}")
    return found


_ENTRIES = _lazy_entries(cli, "easify")


def test_every_group_is_walked() -> None:
    """The walk below sees the top-level table and the sms and email ones."""
    assert len(_ENTRIES) == 14 + 2 + 1


@pytest.mark.parametrize(("path", "group", "name"), _ENTRIES, ids=[e[0] for e in _ENTRIES])
def test_the_table_says_what_the_command_says(path: str, group: LazyGroup, name: str) -> None:
    """Each table entry's help line is its command's own short help (its docstring's first
    sentence), and the command answers to the entry's name."""
    command = group.load(name)
    assert command.name == name
    assert group.lazy[name].short_help == command.get_short_help_str(limit=10**6)


def test_an_unknown_command_is_one_line_with_the_hint() -> None:
    """`easify frobnicate`: exit 2, one line saying so and where to read the usage."""
    done = easify("frobnicate")
    assert (done.code, done.out) == (2, "")
    assert done.err == "error: No such command 'frobnicate'. (see: easify --help)\n"
