"""`easify demo` and `easify sandbox` through the real script."""

from __future__ import annotations

import re
import signal
import socket
import subprocess

import anyio
import pytest

from easify_async import AsyncEasify, RateLimits
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN
from tests.cli._run import EASIFY, clean_env, easify


def test_the_demo_runs_green() -> None:
    """The README's first command: everything sent, every webhook verified, no 429."""
    done = easify("demo")
    assert done.code == 0, done.err
    for line in ("SMS sent", "webhook events verified", "429s seen"):
        assert line in done.out
    assert done.out.startswith("easify demo\n")  # the title on its own line, unwrapped
    assert "┃ what " in done.out
    assert " value ┃" in done.out  # both columns have a header
    for line in (done.out + done.err).splitlines():
        assert len(line) <= 80, line
    bar = re.findall(r"(\d+%) of the limit's rate \(15/2s\)", done.err)
    table = re.findall(r"SMS rate vs the limit \(15/2s\) │ +(\d+%)", done.out)
    assert table
    assert bar[-1:] == table  # one figure, the same in the bar and the summary


def test_the_demo_summary_as_json() -> None:
    """--json gives one summary object with the figures."""
    done = easify("demo", "--json", "--sms", "20", "--emails", "2", "--rate-period", "1")
    assert done.code == 0, done.err
    summary = done.lines[-1]["summary"]
    assert summary["sms_sent"] == 20
    assert summary["emails_sent"] == 2
    assert summary["webhook_events_verified"] == 20 + 2 * 2
    assert summary["webhook_events_refused"] == 0
    assert summary["rate_limited_429s"] == 0
    assert summary["delivered"] == 20 + 2
    ids = [line.get("sms_id") or line.get("email_id") for line in done.lines[:-1]]
    keys = {line["key"] for line in done.lines[:-1]}  # in completion order: compare as sets
    assert keys == {*(f"sms-{n}" for n in range(20)), "email-0", "email-1"}  # emails too
    assert all(ids)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.anyio
async def test_easify_sandbox_serves_until_interrupted() -> None:
    """`easify sandbox` answers the client on its port and stops cleanly on Ctrl-C."""
    port = free_port()
    command = [EASIFY, "sandbox", "--port", str(port), "--rate-period", "1"]
    async with await anyio.open_process(
        command, env=clean_env(), stdout=subprocess.PIPE
    ) as process:
        base_url = f"http://127.0.0.1:{port}/api/v2"
        limits = RateLimits().scaled(1 / 60)
        async with AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as client:
            with anyio.fail_after(20):
                while True:
                    try:
                        sent = await client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="hi")
                        break
                    except Exception:  # not listening yet
                        await anyio.sleep(0.1)
            assert sent.sms_id
        process.send_signal(signal.SIGINT)
        with anyio.fail_after(20):
            code = await process.wait()
    assert code == 0
