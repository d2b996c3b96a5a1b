"""`easify sms|email bulk`: rows through send_many, per-row failures, journal, Ctrl-C."""

from __future__ import annotations

from pathlib import Path

from tests.cli._run import easify, interrupted
from tests.cli._server import Ledger

MIXED = """\
id,to_number,first_name,country_code
a1,+13151350001,Ann,
a2,3151350002,Bob,+1
a3,12,Cid,+1
a4,,Dee,
a5,+33612345678,Eve,
a6,+447700900123,Fay,
"""


def bulk_sms(path: Path, *args: str) -> list[str]:
    return ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi {first_name}", *args]


def test_bad_rows_fail_one_by_one_and_the_rest_go_out(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """Bad number, missing field, unsupported country: reported per row, the rest sent; exit 4."""
    path = tmp_path / "rows.csv"
    path.write_text(MIXED)
    done = easify(*bulk_sms(path, "--key-column", "id", "--json"), env=api_env)
    assert done.code == 4, done.err
    rows = {line["key"]: line for line in done.lines[:-1]}
    assert {k: r["outcome"] for k, r in rows.items()} == {
        "a1": "sent", "a2": "sent", "a3": "failed", "a4": "failed", "a5": "failed", "a6": "sent",
    }  # fmt: skip
    assert rows["a5"]["error"]["type"] == "UnsupportedCountryError"
    assert rows["a4"]["error"]["argument"] == "to_number"
    assert all(rows[k]["sms_id"] for k in ("a1", "a2", "a6"))
    assert sorted((s["country_code"], s["to_number"], s["message"]) for s in ledger.sms) == [
        ("+1", "3151350001", "Hi Ann"),
        ("+1", "3151350002", "Hi Bob"),
        ("+44", "7700900123", "Hi Fay"),
    ]
    summary = done.lines[-1]["summary"]
    assert (summary["sent"], summary["failed"], summary["complete"]) == (3, 3, True)
    assert "6 SMS at 15/min: about 0 seconds" in done.err  # the ETA, before sending


def test_people_get_a_summary_table(tmp_path: Path, api_env: dict[str, str]) -> None:
    """Without --json: a summary table and the rows not sent, with their errors."""
    path = tmp_path / "rows.csv"
    path.write_text(MIXED)
    done = easify(*bulk_sms(path, "--key-column", "id"), env=api_env)
    assert done.code == 4
    assert "Bulk SMS: 6 rows" in done.out
    assert "Rows not sent" in done.out
    assert "a5  │ UnsupportedCountryError" in done.out


def test_a_journal_makes_a_second_run_send_nothing_again(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """Run twice with one journal: the second run skips every sent row and exits 0."""
    path = tmp_path / "rows.csv"
    path.write_text("to_number,first_name\n+13151350001,Ann\n+13151350002,Bob\n")
    journal = str(tmp_path / "run.db")
    first = easify(*bulk_sms(path, "--journal", journal, "--json"), env=api_env)
    second = easify(*bulk_sms(path, "--journal", journal, "--json"), env=api_env)
    assert (first.code, second.code) == (0, 0)
    assert [line["outcome"] for line in second.lines[:-1]] == ["already_sent"] * 2
    assert len(ledger.sms) == 2


def test_ctrl_c_stops_cleanly_and_the_journal_resumes(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """SIGINT while rows wait on the limit: exit 130 with a partial summary, sent rows kept."""
    path = tmp_path / "rows.csv"
    path.write_text(
        "to_number,first_name\n" + "".join(f"+1315135{i:04d},N{i}\n" for i in range(20))
    )
    journal = str(tmp_path / "run.db")
    # A minute-long window: 15 rows go at once, the other 5 wait for the next one.
    stopped = interrupted(*bulk_sms(path, "--journal", journal), sent=15, env=api_env)
    assert stopped.code == 130, stopped.err
    summary = stopped.lines[-1]["summary"]
    assert (summary["sent"], summary["complete"]) == (15, False)
    assert len(ledger.sms) == 15
    # The rows cut off while waiting for a slot never went out, so the journal holds no
    # in-flight state for them: once the window has passed, a plain rerun sends them,
    # and no number gets two messages.
    ledger.advance(61)
    again = easify(*bulk_sms(path, "--journal", journal), env=api_env)
    assert again.code == 0, again.err
    assert sorted(s["to_number"] for s in ledger.sms) == [f"315135{i:04d}" for i in range(20)]


def test_an_account_error_stops_the_run(tmp_path: Path, api_env: dict[str, str]) -> None:
    """A refused token fails every row alike: the run stops at the first refusal with exit 3."""
    path = tmp_path / "rows.csv"
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(40)))
    env = {**api_env, "EASIFY_API_TOKEN": "wrong"}
    done = easify("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--json", env=env)
    assert done.code == 3
    error = done.lines[-1]["error"]
    assert (error["type"], error["cause"]["type"]) == ("BulkStoppedError", "AuthenticationError")
    summary = done.lines[-2]["summary"]
    assert summary["complete"] is False
    assert (summary["failed"], summary["maybe_sent"]) == (0, 0)
    assert 1 <= summary["not_sent"] <= 15  # the first window's requests, not 40


def test_email_bulk_renders_subject_and_message_templates(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """`email bulk`: --subject and --message templates filled from each row's columns."""
    path = tmp_path / "mail.csv"
    path.write_text('receiver,name,additional_data\nann@example.com,Ann,"{""id"": 7}"\n')
    done = easify(
        "email", "bulk", str(path), "--sender", "qa@example.com", "--subject", "For {name}",
        "-m", "<p>Hi {name}</p>", "--json",
        env=api_env,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.lines[0]["email_id"] == ledger.emails[0]["email_id"]
    sent = ledger.emails[0]
    assert (sent["subject"], sent["message"], sent["additional_data"]) == (
        "For Ann",
        "<p>Hi Ann</p>",
        {"id": 7},
    )
