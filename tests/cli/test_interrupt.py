"""Ctrl-C with requests on the wire: in-flight rows reported as such, then checked on resume."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from tests.cli._run import EASIFY, easify
from tests.cli._server import Ledger

LATENCY = 8.0  # seconds a reply takes: the sandbox records the send halfway through


def _rows(path: Path, count: int) -> Path:
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(count)))
    return path


def _wait_for_sends(ledger: Ledger, count: int) -> None:
    # A hang guard, not a timing claim: the probe's reply alone takes LATENCY, and a loaded
    # 2-core machine took more than 30 s to start the command and send 15.
    deadline = time.monotonic() + 120
    while len(ledger.sms) < count:
        assert time.monotonic() < deadline, f"the server got {len(ledger.sms)} of {count}"
        time.sleep(0.05)


def test_ctrl_c_reports_rows_in_flight_and_the_resume_asks_to_check_them(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """SIGINT mid-request: "in flight (may have been sent)"; the rerun reports them, exit 7."""
    path = _rows(tmp_path / "rows.csv", 20)
    journal = str(tmp_path / "run.db")
    command = ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--journal", journal]
    ledger.sandbox.faults.latency = (LATENCY, LATENCY)
    # A minute-long window, and a cold limiter: one probe goes out and is answered, then
    # the 14 more slots its X-RateLimit-Remaining allows go out and hang; 5 rows wait.
    with subprocess.Popen(
        [EASIFY, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=api_env
    ) as process:
        _wait_for_sends(ledger, 15)  # the server has them; their replies are on the way
        process.send_signal(signal.SIGINT)
        out, err = (b.decode() for b in process.communicate(timeout=30))
    assert process.returncode == 130, err
    assert len(ledger.sms) == 15
    table = {
        cells[0].strip(): cells[1].strip()
        for line in out.splitlines()
        if len(cells := line.strip("│ ").split("│")) == 2
    }
    assert table["in flight (may have been sent)"] == "14"
    assert table["unfinished (not sent)"] == "5"
    assert table["sent"] == "1"
    assert "the 14 rows in flight will be reported maybe sent" in " ".join(err.split())
    assert "Traceback" not in err

    ledger.sandbox.faults.latency = (0.0, 0.0)
    ledger.advance(61)  # the window has passed
    again = easify(*command, "--json", env=api_env)
    assert again.code == 7, again.err
    outcomes = [line["outcome"] for line in again.lines[:-1]]
    counts = [outcomes.count(kind) for kind in ("already_sent", "maybe_sent", "sent")]
    assert counts == [1, 14, 5]
    assert "14 rows may have been sent: check before sending again" in again.err
    # Nothing went out twice: the 14 cut off mid-request were not resent.
    assert sorted(s["to_number"] for s in ledger.sms) == [f"315135{i:04d}" for i in range(20)]


def test_a_run_with_maybe_sent_rows_exits_7_even_when_others_failed(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """A 5xx (maybe sent) and a refused row in one run: 7 wins over 4, it needs a human."""
    path = tmp_path / "rows.csv"
    path.write_text("to_number\n+13151350001\n+33612345678\n+13151350002\n")
    ledger.sandbox.faults.queue("server_error")
    done = easify("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", env=api_env)
    assert done.code == 7, done.err
    assert "1 row may have been sent: check before" in " ".join(done.err.split())


def test_without_a_journal_the_json_summary_counts_rows_in_flight(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--json, no journal: the summary's in_flight and unfinished, and a note on stderr."""
    path = _rows(tmp_path / "rows.csv", 20)
    command = ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--json"]
    ledger.sandbox.faults.latency = (LATENCY, LATENCY)
    with subprocess.Popen(
        [EASIFY, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=api_env
    ) as process:
        _wait_for_sends(ledger, 15)
        process.send_signal(signal.SIGINT)
        out, err = (b.decode() for b in process.communicate(timeout=30))
    assert process.returncode == 130, err
    summary = json.loads(out.splitlines()[-1])["summary"]
    assert (summary["sent"], summary["in_flight"], summary["unfinished"]) == (1, 14, 5)
    assert summary["complete"] is False
    assert "14 rows in flight may have been sent" in " ".join(err.split())
