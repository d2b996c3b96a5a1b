"""The CLI guide's sessions (`sms send` and `sms status`, `sms bulk`) are what the
commands print, at 80 columns."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli._run import easify

GUIDE = Path(__file__).parents[2] / "docs" / "guides" / "cli.md"


@pytest.fixture
def env(api_env: dict[str, str]) -> dict[str, str]:
    """The sandbox's environment, on a terminal 80 columns wide."""
    return {**api_env, "COLUMNS": "80"}


def _session(opening: str) -> list[tuple[str, list[str]]]:
    """The guide's console block that holds ``opening``: (command, output lines) pairs."""
    text = GUIDE.read_text()
    block = next(b for b in text.split("```console\n")[1:] if f"$ {opening}" in b)
    session: list[tuple[str, list[str]]] = []
    for line in block.split("\n```")[0].splitlines():
        if line.startswith("$ "):
            session.append((line[2:].split("  #")[0].strip(), []))
        else:
            session[-1][1].append(line)
    return session


def _timeless(lines: list[str]) -> list[str]:
    """Output lines without what changes run to run: durations, trailing blanks."""
    return [
        re.sub(r'(in [0-9.]+ s |"elapsed_seconds": [0-9.]+)', "<time>", line.rstrip())
        for line in lines
    ]


@pytest.mark.parametrize("opening", ["easify sms send --from", "easify sms bulk customers"])
def test_the_guides_session_is_what_the_cli_prints(
    opening: str, env: dict[str, str], tmp_path: Path
) -> None:
    code = None
    session = _session(opening)
    for command, shown in session:
        if command.startswith("cat "):
            (tmp_path / command.split()[1]).write_text("\n".join(shown) + "\n")
        elif command.startswith("wc -l < "):
            # "a header and 1,000 rows like those": the valid ones of customers.csv, again.
            rows = (tmp_path / "customers.csv").read_text().splitlines()
            valid = [r for r in rows[1:] if r.split(",")[0] in {"c-1", "c-2", "c-3"}]
            big = [rows[0], *(f"b-{n}," + valid[n % 3].split(",", 1)[1] for n in range(1000))]
            (tmp_path / command.split()[-1]).write_text("\n".join(big) + "\n")
            assert shown == [str(len(big))]
        elif command == "echo $?":
            assert shown == [str(code)]
        else:
            args = shlex.split(command)[1:]
            done = easify(*args, env=env, cwd=tmp_path)
            # A --json run is shown by its stdout; any other by all it prints.
            printed = done.out if "--json" in args else done.err + done.out
            assert _timeless(printed.splitlines()) == _timeless(shown), command
            code = done.code
    assert [c for c, _ in session if c.startswith(opening)]
