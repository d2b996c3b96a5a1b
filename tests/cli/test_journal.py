"""`easify journal show|resolve|reconcile`: settle a bulk run's maybe-sent rows."""

from __future__ import annotations

import collections
from pathlib import Path

from tests.cli._run import easify
from tests.cli._server import Ledger


def bulk_with_lost_replies(
    tmp_path: Path, env: dict[str, str], ledger: Ledger, lost: int
) -> tuple[list[str], str, set[str]]:
    """A 4-row run whose first ``lost`` replies are lost after the sandbox sent: those keys."""
    path = tmp_path / "rows.csv"
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(4)))
    journal = str(tmp_path / "run.db")
    args = ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--journal", journal]
    ledger.sandbox.faults.queue("drop", lost)
    done = easify(*args, "--json", env=env)
    assert done.code == 7, done.err
    maybe = {line["key"] for line in done.lines[:-1] if line["outcome"] == "maybe_sent"}
    assert len(maybe) == lost
    return args, journal, maybe


def test_show_lists_the_rows_and_resolve_settles_them_by_hand(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """show exits 7 while rows may have been sent; resolved, the next run skips or sends them."""
    args, journal, maybe = bulk_with_lost_replies(tmp_path, api_env, ledger, 2)
    shown = easify("journal", "show", journal, env=api_env)
    assert shown.code == 7, shown.err
    assert "2 sent, 2 maybe sent" in shown.out
    assert f"easify journal reconcile {journal}" in shown.err
    listed = easify("journal", "show", journal, "--state", "maybe_sent", "--json", env=api_env)
    assert {line["key"] for line in listed.lines[:-1]} == maybe
    assert listed.lines[-1]["summary"]["maybe_sent"] == 2
    first, second = sorted(maybe)
    resolved = easify("journal", "resolve", journal, first, "--sent", "--id", "777", env=api_env)
    assert resolved.code == 0, resolved.err
    assert f"Row {first}: settled by hand: sent (was maybe_sent)." in resolved.out
    assert easify("journal", "resolve", journal, second, "--not-sent", env=api_env).code == 0
    assert easify("journal", "show", journal, env=api_env).code == 0
    again = easify(*args, "--json", env=api_env)
    assert again.code == 0, again.err
    outcomes = {line["key"]: (line["outcome"], line["sms_id"]) for line in again.lines[:-1]}
    assert outcomes[first] == ("already_sent", 777)  # --json ids are numbers where numeric
    assert outcomes[second][0] == "sent"
    assert len(ledger.sms) == 5  # the row settled not sent went out again, by choice


def test_resolve_says_what_is_wrong_in_one_line(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """No --sent/--not-sent, --id with --not-sent, an unknown key: usage errors (2)."""
    _, journal, maybe = bulk_with_lost_replies(tmp_path, api_env, ledger, 1)
    (key,) = maybe
    neither = easify("journal", "resolve", journal, key, env=api_env)
    assert (neither.code, neither.out) == (2, "")
    assert "--sent or --not-sent" in neither.err
    both = easify("journal", "resolve", journal, key, "--not-sent", "--id", "1", env=api_env)
    assert both.code == 2
    assert "--id" in both.err
    unknown = easify("journal", "resolve", journal, "nope", "--sent", env=api_env)
    assert unknown.code == 2
    assert "key 'nope': journal" in unknown.err
    assert len(unknown.err.strip().splitlines()) == 1


def test_reconcile_settles_lost_replies_from_the_report_and_the_rerun_sends_nothing_twice(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """The SMS whose replies were lost are found in the report: sent, with their ids; exit 0."""
    args, journal, maybe = bulk_with_lost_replies(tmp_path, api_env, ledger, 2)
    sent = len(ledger.sms)
    done = easify(
        "journal", "reconcile", journal, "--server-timezone", "UTC", "--json", env=api_env
    )
    assert done.code == 0, done.err
    assert len(ledger.sms) == sent
    settled = {line["key"]: line for line in done.lines[:-1]}
    assert set(settled) == maybe
    ids = {s.sms_id for s in ledger.sandbox.sent_sms}
    assert all(line["state"] == "sent" and line["remote_id"] in ids for line in settled.values())
    assert done.lines[-1] == {"summary": {"rows": 2, "still_maybe_sent": 0}}
    people = easify("journal", "reconcile", journal, env=api_env)
    assert people.code == 0
    assert "No row may have been sent: nothing to settle." in people.out
    again = easify(*args, "--json", env=api_env)
    assert again.code == 0, again.err
    assert {line["outcome"] for line in again.lines[:-1]} == {"already_sent"}
    assert set(collections.Counter(s["to_number"] for s in ledger.sms).values()) == {1}
