"""Every failure of the command line: one line on stderr, a documented exit code, no traceback."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli._run import Done, clean_env, easify
from tests.cli._server import Ledger
from tests.fakes import serving_raw


def _one_error_line(done: Done) -> str:
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err
    assert "Traceback" not in done.err
    return lines[0]


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text("to_number\n+13151350001\n+13151350002\n")
    return path


def _bulk(rows: Path, journal: str, *args: str, env: dict[str, str] | None = None) -> Done:
    command = ("sms", "bulk", str(rows), "--from", "3152930000", "-m", "Hi", "--journal", journal)
    return easify(*command, *args, env=env)


@pytest.mark.parametrize("dry_run", [False, True], ids=["run", "dry-run"])
@pytest.mark.parametrize(
    ("journal", "message"),
    [
        pytest.param("missing/run.db", "no folder", id="missing-folder"),
        pytest.param("rows.csv", "is the CSV file itself", id="the-csv-file"),
        pytest.param("notes.txt", "not a journal (an SQLite file)", id="not-sqlite"),
    ],
)
def test_an_unusable_journal_is_a_usage_error(
    rows: Path, api_env: dict[str, str], ledger: Ledger, journal: str, message: str, dry_run: bool
) -> None:
    """--journal in a missing folder, on the CSV or on another file: exit 2, nothing sent."""
    (rows.parent / "notes.txt").write_text("not a database, just some text\n" * 10)
    done = _bulk(rows, str(rows.parent / journal), *(["--dry-run"] if dry_run else []), env=api_env)
    assert done.code == 2
    line = " ".join(done.err.split())
    assert "--journal" in line
    assert message in line
    assert "Traceback" not in done.err
    assert ledger.sms == []


def test_an_sqlite_error_during_the_run_is_one_line_and_exit_2(
    rows: Path, api_env: dict[str, str]
) -> None:
    """A journal the engine cannot use (an SQLite file of other tables): one line, exit 2."""
    journal = rows.parent / "other.db"
    # closing(): sqlite3's own context manager commits but leaves the file open (a
    # ResourceWarning on Python 3.13, which the suite turns into an error in a later test).
    with contextlib.closing(sqlite3.connect(journal)) as db:
        db.execute("CREATE TABLE items (key TEXT)")
    done = _bulk(rows, str(journal), "--json", env=api_env)
    assert done.code == 2, done.err
    error = done.lines[-1]["error"]
    assert error["context"] == "journal"
    assert "Traceback" not in done.err


_BROKEN = """
import click
from easify_async._cli._main import cli, main
from easify_async._cli._output import Output
from easify_async._cli._run import run


@cli.command()
def broken() -> None:
    raise RuntimeError("a bug\\nover two lines")


@cli.command()
def broken_run() -> None:
    async def body():
        raise KeyError("a bug in a run")
    run(Output(json=True), body)


main(prog_name="easify")
"""


def _run_broken(command: str, **env: str) -> Done:
    done = subprocess.run(
        [sys.executable, "-c", _BROKEN, command],
        capture_output=True,
        env=clean_env(**env),
        timeout=60,
        check=False,
    )
    return Done(done.returncode, done.stdout.decode(), done.stderr.decode())


def test_an_unexpected_error_is_one_line_with_exit_1() -> None:
    """The last resort: a bug exits 1 with one line naming it and the debug variable."""
    done = _run_broken("broken")
    assert done.code == 1
    line = _one_error_line(done)
    assert line == (
        "error: internal error; rerun with EASIFY_DEBUG=1 for the traceback: "
        "a bug over two lines (RuntimeError)"
    )


def test_an_unexpected_error_in_a_run_is_reported_as_json() -> None:
    """Inside a command's run, --json gets the internal error as its one JSON line."""
    done = _run_broken("broken-run")
    assert done.code == 1
    assert done.err == ""
    assert done.lines == [
        {
            "error": {
                "type": "KeyError",
                "message": "'a bug in a run'",
                "context": "internal error; rerun with EASIFY_DEBUG=1 for the traceback",
            }
        }
    ]


def test_easify_debug_shows_the_traceback() -> None:
    """EASIFY_DEBUG=1 lets the unexpected error out with its traceback."""
    done = _run_broken("broken", EASIFY_DEBUG="1")
    assert done.code == 1
    assert "Traceback" in done.err
    assert "RuntimeError: a bug" in done.err


@pytest.fixture
def bad_gzip_url() -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 whose replies cannot be decoded."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip"
    with serving_raw(head, b"not gzip at all") as url:
        yield url


def test_an_undecodable_reply_is_one_line_and_exit_3(bad_gzip_url: str) -> None:
    """A reply whose body cannot be decoded: exit 3, one line saying a send may have gone out."""
    env = clean_env(EASIFY_API_TOKEN="t", EASIFY_BASE_URL=bad_gzip_url)
    done = easify(
        "sms", "send", "--from", "3152930000", "--to", "+13151350000", "-m", "Hi", env=env
    )
    assert done.code == 3
    line = _one_error_line(done)
    assert "does not decode" in line
    assert "a send may have gone out" in line


def test_an_api_error_with_field_errors_is_still_one_line(
    api_env: dict[str, str], ledger: Ledger
) -> None:
    """A validation reply's field errors join the error's one line, not lines of their own."""
    ledger.sandbox.unsubscribed.add("ann@example.com")
    done = easify(
        "email", "send", "--sender", "qa@example.com", "--to", "ann@example.com",
        "--subject", "Hi", "-m", "Hi", env=api_env,
    )  # fmt: skip
    assert done.code == 3
    line = _one_error_line(done)
    assert "[receiver: The receiver field must be a valid email address.]" in line
