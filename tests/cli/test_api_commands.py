"""`easify numbers|templates|campaigns` and `easify sms report|history` against the sandbox
on 127.0.0.1."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from easify_async.sandbox._api_state import HistoryRecord
from tests._served import Receive, Scope, Send, serving_asgi
from tests.cli._run import clean_env, easify
from tests.cli._server import TOKEN, Ledger


def test_numbers_list_and_set_webhook(api_env: dict[str, str], ledger: Ledger) -> None:
    """`numbers list` shows ids and gateways; `numbers set-webhook` sets the URL."""
    listed = easify("numbers", "list", "--json", env=api_env)
    assert listed.code == 0, listed.err
    [number] = listed.lines
    assert (number["number"], number["gateway"]) == ("+13152930000", "Twilio")
    done = easify("numbers", "set-webhook", str(number["id"]), "https://x.example/in", env=api_env)
    assert (done.code, done.out.strip()) == (
        0,
        "Webhook of +13152930000 set to https://x.example/in",
    )
    table = easify("numbers", "list", env=api_env)
    assert "https://x.example/in" in table.out
    bad = easify("numbers", "set-webhook", "999", "https://x.example/in", env=api_env)
    assert bad.code == 3
    assert "Invalid phone number id" in bad.err


def test_sms_report_table_json_and_csv(
    api_env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """`sms report` walks a 60-day range; the table, --json lines and --csv agree."""
    start = dt.datetime(2026, 1, 1, 9, 30)
    ledger.sandbox.api.add_history(
        TOKEN,
        *(
            HistoryRecord(
                id=i,
                sender="+13152930000",
                receiver="+13151350000",
                message=f"m{i}",
                status="Delivered" if i % 2 else "Failed",
                created_at=start + dt.timedelta(days=i),
            )
            for i in range(60)
        ),
    )
    window = ("sms", "report", "--from-date", "2026-01-01", "--to-date", "2026-03-01")
    lines = easify(*window, "--json", "--order", "asc", env=api_env).lines
    assert [line["id"] for line in lines] == list(range(60))
    assert lines[0]["created_at"] == "2026-01-01 09:30:00"
    out = tmp_path / "failed.csv"
    done = easify(*window, "--status", "Failed", "--csv", str(out), env=api_env)
    assert done.code == 0, done.err
    assert "m58" in done.out
    with out.open() as file:
        rows = list(csv.DictReader(file))
    assert [int(r["id"]) for r in rows] == list(range(58, -1, -2))
    assert rows[0]["status"] == "Failed"


def test_sms_history_shows_the_conversation(api_env: dict[str, str]) -> None:
    """`sms history` lists what was sent to the receiver, newest first."""
    for text in ("first", "second"):
        easify(
            "sms", "send", "--from", "3152930000", "--to", "+13151350000", "-m", text, env=api_env
        )
    done = easify(
        "sms",
        "history",
        "--from",
        "3152930000",
        "--to",
        "+13151350000",
        "--json",
        env=api_env,
    )
    assert [line["message"] for line in done.lines] == ["second", "first"]


def test_templates_list(api_env: dict[str, str]) -> None:
    """`templates list` prints the approved templates."""
    done = easify("templates", "list", env=api_env)
    assert done.code == 0, done.err
    assert all(name in done.out for name in ("Welcome", "Reminder", "November"))


def test_campaign_send_watch_and_items(ledger: Ledger, tmp_path: Path) -> None:
    """send prints the id; status --watch draws the counts until Completed; items lists them.

    The campaign moves with the watch's reads, not with the wall clock: held (not final)
    until the command has read it once, then done, so the bar is drawn and ends at 3/3
    however slowly the machine starts the command.
    """
    reads = 0

    async def campaign_moves_with_reads(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal reads
        if scope["type"] == "http" and scope["path"].endswith("/sms/campaign/status"):
            reads += 1
            [campaign] = ledger.sandbox.api.campaigns
            if reads == 1:
                ledger.sandbox.api.hold(campaign, ledger.sandbox.clock())
            elif reads == 2:
                ledger.sandbox.api.resume(campaign, ledger.sandbox.clock())
                ledger.advance(60)  # 3 recipients at 1 a second: long done
        await ledger.sandbox.app(scope, receive, send)

    ledger.sandbox.api.campaign_rate = 1.0
    recipients = tmp_path / "r.csv"
    recipients.write_text("phone\n+13151350000\n+13151350001\n+13151350002\n")
    with serving_asgi(campaign_moves_with_reads) as origin:
        api_env = clean_env(EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=f"{origin}/api/v2")
        sent = easify(
            "campaigns",
            "send",
            "--name",
            "Nov",
            "--from",
            "+13152930000",
            "--template",
            "7",
            "--recipients",
            str(recipients),
            "--json",
            env=api_env,
        )
        assert sent.code == 0, sent.err
        [reply] = sent.lines
        assert reply["valid_recipients"] == 3
        campaign = str(reply["campaign_id"])
        watched = easify(
            "campaigns", "status", campaign, "--watch", "--poll-interval", "1", env=api_env
        )
        assert watched.code == 0, watched.err
        assert reads == 2
        assert "Completed: 3/3 done" in watched.out
        assert "Completed" in watched.err
        assert "3/3" in watched.err  # the progress bar's last state
        items = easify("campaigns", "items", campaign, "--json", env=api_env)
    assert [(i["receiver"], i["status"]) for i in items.lines] == [
        (f"+1315135000{n}", "Success") for n in range(3)
    ]


def test_campaign_send_refuses_a_missing_csv_before_any_request(
    api_env: dict[str, str], ledger: Ledger
) -> None:
    """A CSV that is not there is a usage error; nothing reaches the server."""
    done = easify(
        "campaigns",
        "send",
        "--name",
        "N",
        "--from",
        "+13152930000",
        "--template",
        "7",
        "--recipients",
        "/no/such.csv",
        env=api_env,
    )
    assert done.code == 2  # a missing input file, in every command
    assert ledger.sandbox.api.campaigns == {}
