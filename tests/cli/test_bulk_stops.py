"""`easify sms|contacts bulk` stop rules, exit codes from the summary's counts, and the
progress line using the summary's names."""

from __future__ import annotations

from pathlib import Path

from tests.cli._run import easify
from tests.cli._server import TOKEN, Ledger


def rows(path: Path, count: int) -> Path:
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(count)))
    return path


def test_a_wrong_token_with_a_journal_leaves_rows_resumable_not_maybe_sent(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """401 stops the run; with the right token the same journal sends every row: exit 0."""
    path = rows(tmp_path / "rows.csv", 12)
    journal = str(tmp_path / "run.db")
    args = ("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--journal", journal)
    wrong = easify(*args, "--json", env={**api_env, "EASIFY_API_TOKEN": "wrong"})
    assert wrong.code == 3, wrong.err
    assert wrong.lines[-2]["summary"]["maybe_sent"] == 0
    again = easify(*args, "--json", env=api_env)
    assert again.code == 0, again.err
    assert [line["outcome"] for line in again.lines[:-1]] == ["sent"] * 12
    assert len(ledger.sms) == 12


def test_an_unowned_sender_stops_at_once_and_says_why(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """60 rows from a number the token does not own: stopped, one line saying why, exit 3."""
    path = rows(tmp_path / "rows.csv", 60)
    done = easify("sms", "bulk", str(path), "--from", "9999999999", "-m", "Hi", env=api_env)
    assert done.code == 3, done.err
    assert "error: the bulk run stopped at key" in done.err
    assert "InvalidSenderError" in done.err
    assert "unfinished (not sent)" in done.out
    assert ledger.sms == []


def test_the_progress_line_uses_the_summarys_names(tmp_path: Path, api_env: dict[str, str]) -> None:
    """Rows not sent read "not sent" in the progress line as in the summary, never "failed"."""
    path = rows(tmp_path / "rows.csv", 5)
    env = {**api_env, "EASIFY_API_TOKEN": "wrong"}
    done = easify("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", env=env)
    assert done.code == 3
    progress = [line for line in done.err.splitlines() if "waiting on the limit" in line]
    assert progress, done.err
    assert "failed 0 · not sent " in progress[-1]
    table = {
        cells[0]: cells[1]
        for line in done.out.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 2
    }
    assert table["failed"] == "0"
    assert progress[-1].startswith(f"sent 0 · failed 0 · not sent {table['not sent']} ·")


def test_max_failures_stops_after_that_many_failures_in_a_row(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--max-failures 3: three unsupported numbers in a row stop the run; exit 4."""
    path = tmp_path / "rows.csv"
    path.write_text(
        "to_number\n" + "+33612345678\n" * 3 + "".join(f"+1315135{i:04d}\n" for i in range(10))
    )
    done = easify(
        "sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi",
        "--max-failures", "3", "--json", env=api_env,
    )  # fmt: skip
    assert done.code == 4, done.err
    error = done.lines[-1]["error"]
    assert (error["type"], error["failures"]) == ("BulkStoppedError", 3)
    summary = done.lines[-2]["summary"]
    assert summary["complete"] is False
    assert summary["failed"] >= 3
    assert summary["sent"] == len(ledger.sms)


def test_max_failures_must_be_a_positive_number(tmp_path: Path, api_env: dict[str, str]) -> None:
    """--max-failures 0 is a usage error (2) naming the option."""
    path = rows(tmp_path / "rows.csv", 1)
    done = easify(
        "sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--max-failures", "0",
        env=api_env,
    )  # fmt: skip
    assert done.code == 2
    assert "--max-failures" in done.err


def test_an_import_into_an_unknown_group_stops_at_the_first_refusal(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """`contacts import --group 999`: stopped, no row left maybe created; exit 3."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "first_name,phone_number\n" + "".join(f"N{i},+1315135{i:04d}\n" for i in range(40))
    )
    done = easify("contacts", "import", str(path), "--group", "999", "--json", env=api_env)
    assert done.code == 3, done.err
    assert done.lines[-1]["error"]["cause"]["type"] == "InvalidGroupError"
    summary = done.lines[-2]["summary"]
    assert (summary["sent"], summary["failed"], summary["maybe_sent"]) == (0, 0, 0)
    assert 1 <= summary["not_sent"] <= 15
    assert ledger.sandbox.contacts.contacts_of(TOKEN) == []
