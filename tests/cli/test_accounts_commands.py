"""`easify calls list`, `easify subusers list`, `easify email senders` and `easify email send`
to several recipients, through the real entry point at 80 columns, against the sandbox."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from easify_async.sandbox._extra_state import CallRecord
from tests.cli._run import easify
from tests.cli._server import SENDER, TOKEN, Ledger


@pytest.fixture
def env(api_env: dict[str, str]) -> dict[str, str]:
    """The sandbox's environment, on a terminal 80 columns wide."""
    return {**api_env, "COLUMNS": "80"}


def test_calls_list_table_json_and_csv(env: dict[str, str], ledger: Ledger, tmp_path: Path) -> None:
    """The table shows the calls newest first; --json and --csv carry every field."""
    ledger.sandbox.extra.add_calls(
        TOKEN,
        *(
            CallRecord(
                id=f"838{n}",
                from_number="+13152930000",
                to_number=f"+131513500{n:02d}",
                created_at=dt.datetime(2026, 11, 1 + n, 9, 0),
            )
            for n in range(3)
        ),
    )
    table = easify("calls", "list", env=env)
    assert table.code == 0, table.err
    assert table.out.index("8382") < table.out.index("8380")
    assert all(len(line) <= 80 for line in table.out.splitlines())
    lines = easify("calls", "list", "--to", "+13151350001", "--json", env=env).lines
    assert [(line["id"], line["to_number"]) for line in lines] == [("8381", "+13151350001")]
    assert lines[0]["extra"]["duration"] == 30  # a JSON object, not its Python repr
    out = tmp_path / "calls.csv"
    done = easify("calls", "list", "--from-date", "2026-11-02", "--csv", str(out), env=env)
    assert done.code == 0, done.err
    with out.open() as file:
        rows = list(csv.DictReader(file))
    assert [r["id"] for r in rows] == ["8382", "8381"]
    assert json.loads(rows[0]["extra"])["duration"] == 30


def test_calls_list_refuses_a_bad_number_with_exit_3(env: dict[str, str]) -> None:
    """An argument the SDK refuses ends the command with code 3, naming it."""
    done = easify("calls", "list", "--to", "12", env=env)
    assert done.code == 3
    assert "to[0]" in done.err


def test_subusers_list_masks_tokens_unless_asked(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Tokens show as `id|****` in the table, JSON and CSV; --show-tokens prints them whole."""
    ann = ledger.sandbox.extra.add_sub_user(TOKEN, email="ann@x.example", name="Ann")
    secret = ann.token.partition("|")[2]
    out = tmp_path / "subs.csv"
    masked = easify("subusers", "list", "--csv", str(out), env=env)
    assert masked.code == 0, masked.err
    assert "ann@x.example" in masked.out
    assert secret not in masked.out
    assert secret not in out.read_text()
    [line] = easify("subusers", "list", "--json", env=env).lines
    assert line["easify_api_token"] == ann.token.partition("|")[0] + "|****"
    [shown] = easify("subusers", "list", "--show-tokens", "--json", env=env).lines
    assert shown["easify_api_token"] == ann.token


def test_subusers_list_as_a_sub_user_exits_3(env: dict[str, str], ledger: Ledger) -> None:
    """A sub-user's token is refused: the server's 400 says only the main user may ask."""
    ann = ledger.sandbox.extra.add_sub_user(TOKEN, email="ann@x.example")
    done = easify("subusers", "list", env={**env, "EASIFY_API_TOKEN": ann.token})
    assert done.code == 3
    assert "main user" in done.err


def test_email_senders_lists_the_verified_addresses(env: dict[str, str]) -> None:
    """`email senders` shows each verified sender address."""
    done = easify("email", "senders", "--json", env=env)
    assert done.code == 0, done.err
    assert SENDER in {line["from_email"] for line in done.lines}


def test_email_send_to_several_goes_through_v3(env: dict[str, str], ledger: Ledger) -> None:
    """Several --to with --cc and --bcc: one v3 send, every address in the ledger."""
    done = easify(
        "email", "send", "--sender", SENDER, "--to", "a@x.example", "--to", "b@x.example",
        "--cc", "c@x.example", "--bcc", "d@x.example", "--subject", "Hi", "-m", "<p>Hi</p>",
        env=env,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "email_id 674" in done.out
    assert [e["receiver"] for e in ledger.emails] == [
        "a@x.example",
        "b@x.example",
        "c@x.example",
        "d@x.example",
    ]
    assert {e["email_id"] for e in ledger.emails} == {"674"}


def test_email_send_to_one_stays_on_v2(env: dict[str, str], ledger: Ledger) -> None:
    """A single --to keeps the v2 send (24-hex id), scheduling allowed."""
    done = easify(
        "email", "send", "--sender", SENDER, "--to", "a@x.example", "--subject", "Hi",
        "-m", "m", "--json", env=env,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert len(done.lines[0]["email_id"]) == 24


def test_v3_options_v3_lacks_are_usage_errors(env: dict[str, str], ledger: Ledger) -> None:
    """--schedule-time with --cc is refused before anything is sent (exit 2)."""
    done = easify(
        "email", "send", "--sender", SENDER, "--to", "a@x.example", "--cc", "c@x.example",
        "--subject", "Hi", "-m", "m", "--schedule-time", "2099-01-01 09:00:00", env=env,
    )  # fmt: skip
    assert done.code == 2
    assert "--schedule-time" in done.err
    assert ledger.emails == []
