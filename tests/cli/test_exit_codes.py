"""Exit codes and error lines that say what happened: a bad URL, a missing file, a closed
pipe, a read's unusable reply, and --json errors a script can parse."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from easify_async.sandbox import DEMO_TOKEN
from easify_async.sandbox._api_state import HistoryRecord
from tests.cli._run import EASIFY, clean_env, easify
from tests.cli._server import TOKEN, Ledger, free_port
from tests.fakes import serving_raw


@pytest.mark.parametrize("source", ["option", "environment"])
def test_a_malformed_base_url_is_a_usage_error(source: str) -> None:
    """A --base-url (or $EASIFY_BASE_URL) that is no URL: exit 2 naming --base-url, not 1."""
    url = "ht!tp://x"
    if source == "option":
        done = easify("sms", "status", "1", "--token", "t", "--base-url", url)
    else:
        done = easify(
            "sms", "status", "1", env=clean_env(EASIFY_API_TOKEN="t", EASIFY_BASE_URL=url)
        )
    assert done.code == 2
    assert done.err.startswith("error: --base-url: 'ht!tp://x' has the scheme ''"), done.err
    assert "internal error" not in done.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["sms", "status", "1"], "no API token", id="no-token"),
        pytest.param(
            ["sms", "status", "1", "--token", "t", "--base-url", "nope"], "--base-url", id="bad-url"
        ),
        pytest.param(
            ["sms", "status", "1", "--token", "t", "--bogus"], "No such option", id="unknown-flag"
        ),
    ],
)
def test_json_usage_errors_are_one_json_line(args: list[str], message: str) -> None:
    """With --json a usage error is an {"error": ...} line on stdout, as the README says."""
    done = easify(*args, "--json")
    assert done.code == 2
    [line] = done.lines
    assert line["error"]["type"] == "UsageError"
    assert message in line["error"]["message"]
    assert done.err == ""


def test_an_sms_id_has_one_json_type_in_every_command(api_env: dict[str, str]) -> None:
    """send, status and report give one SMS's id as the same JSON number."""
    sent = easify("sms", "send", "--from", "3152930000", "--to", "+13151350000", "-m", "Hi",
                  "--json", env=api_env)  # fmt: skip
    sms_id = sent.lines[0]["sms_id"]
    assert isinstance(sms_id, int)
    status = easify("sms", "status", str(sms_id), "--json", env=api_env)
    assert status.lines[0]["sms_id"] == sms_id
    today = dt.date.today().isoformat()
    report = easify("sms", "report", "--from-date", today, "--to-date", today, "--json",
                    env=api_env)  # fmt: skip
    assert [line["id"] for line in report.lines] == [sms_id]


def test_a_closed_pipe_is_a_normal_end(api_env: dict[str, str], ledger: Ledger) -> None:
    """`easify sms report --json | head -1`: the reader leaving early is exit 0, silently."""
    start = dt.datetime(2026, 1, 1, 9, 30)
    ledger.sandbox.api.add_history(
        TOKEN,
        *(
            HistoryRecord(
                id=i,
                sender="+13152930000",
                receiver="+13151350000",
                message="x" * 200,
                status="Delivered",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(1000)
        ),
    )
    # 1,000 lines of over 250 bytes: more than a pipe holds, so the command is still
    # writing when the reader closes its end (every time, not by luck of timing).
    process = subprocess.Popen(
        [EASIFY, "sms", "report", "--from-date", "2026-01-01", "--to-date", "2026-01-02", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=api_env,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = json.loads(process.stdout.readline())
    process.stdout.close()
    code = process.wait(timeout=60)
    err = process.stderr.read().decode()
    process.stderr.close()
    assert first["id"] == 999
    assert (code, err) == (0, "")


def _missing_file_commands(tmp: Path) -> dict[str, list[str]]:
    missing = str(tmp / "missing.csv")
    return {
        "sms-bulk": ["sms", "bulk", missing, "--from", "3152930000", "-m", "Hi"],
        "campaigns-send": ["campaigns", "send", "--name", "N", "--from", "+13152930000",
                           "--template", "7", "--recipients", missing],
        "sms-send-media": ["sms", "send", "--from", "3152930000", "--to", "+13151350000",
                           "--media", str(tmp / "missing.png")],
        "email-send-attachment": ["email", "send", "--sender", "qa@example.com", "--to",
                                  "a@example.com", "--subject", "s", "-m", "m",
                                  "--attachment", str(tmp / "missing.pdf")],
    }  # fmt: skip


@pytest.mark.parametrize(
    "command", ["sms-bulk", "campaigns-send", "sms-send-media", "email-send-attachment"]
)
def test_a_missing_input_file_exits_2_in_every_command(
    api_env: dict[str, str], ledger: Ledger, tmp_path: Path, command: str
) -> None:
    """A file named on the command line that is not there: exit 2 (usage), nothing sent."""
    done = easify(*_missing_file_commands(tmp_path)[command], env=api_env)
    assert done.code == 2, done.err
    assert "missing" in done.err
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert (ledger.sms, ledger.emails, ledger.sandbox.api.campaigns) == ([], [], {})


@pytest.fixture
def malformed_url() -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 whose successes do not fit any reply."""
    body = b'{"status": true, "message": "Call History", "data": "not a page"}'
    with serving_raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json", body) as url:
        yield url


@pytest.mark.parametrize(
    "command",
    [["calls", "list"], ["groups", "list"], ["sms", "status", "1"]],
    ids=["calls-list", "groups-list", "sms-status"],
)
def test_a_read_with_an_unusable_reply_says_nothing_was_sent(
    malformed_url: str, command: list[str]
) -> None:
    """A read's malformed 200 says the read failed and changed nothing: no "a send may"."""
    done = easify(*command, env=clean_env(EASIFY_API_TOKEN="t", EASIFY_BASE_URL=malformed_url))
    assert done.code == 3
    assert "the reply to this read was not usable (nothing was sent or changed" in done.err
    assert "send may have gone out" not in done.err


def test_a_busy_port_for_the_sandbox_is_one_usage_line() -> None:
    """`easify sandbox` on a port in use: exit 2, one line naming --port, no banner."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = easify("sandbox", "--port", str(port))
    assert (done.code, done.out) == (2, "")
    [line] = done.err.splitlines()
    assert line.startswith(f"error: Invalid value for --port: cannot listen on 127.0.0.1:{port}: ")


def test_the_sandbox_still_serves_on_a_free_port() -> None:
    """The socket it binds first is the one uvicorn serves: a request gets the API's reply."""
    port = free_port()
    process = subprocess.Popen(
        [EASIFY, "sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"Easify sandbox on http://127.0.0.1:")
        base_url = f"http://127.0.0.1:{port}/api/v2"
        done = easify("numbers", "list", "--json", env=clean_env(
            EASIFY_API_TOKEN=DEMO_TOKEN, EASIFY_BASE_URL=base_url))  # fmt: skip
        assert done.code == 0, done.err
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_a_rate_period_shorter_than_the_servers_says_so_once(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--rate-period 1 against a 60 s window: one line with the fix, no log line per 429."""
    rows = tmp_path / "rows.csv"
    rows.write_text("to_number\n" + "".join(f"+1315135{n:04d}\n" for n in range(20)))
    done = easify("sms", "bulk", str(rows), "--from", "3152930000", "-m", "Hi",
                  "--rate-period", "1", "--json", env=api_env)  # fmt: skip
    assert done.code == 4
    assert len(ledger.sms) == 15  # the server's window: the rest are refused
    [_, hint] = done.err.splitlines()  # the ETA line, then the hint: once
    assert re.fullmatch(
        r"The server's rate-limit window is longer than --rate-period 1 \(it asked for a "
        r"\d+ s wait\), so rows are refused and not sent: run again with --rate-period 60 "
        r"for Easify, or the --rate-period your `easify sandbox` serves\.",
        hint,
    ), done.err
    assert "429" not in done.err
