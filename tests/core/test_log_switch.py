"""``EASIFY_LOG=debug|info`` turns the package's logger on to stderr without code; at
debug, one line per attempt from its record; never a form of the token."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap

import httpx
import pytest

from easify_async import AsyncEasify, ServerError
from tests._leaks import token_forms
from tests.fakes import Recorder, reply

TOKEN = "1087|top/secret+token="
SCRIPT = textwrap.dedent(
    """
    import sys

    import anyio
    import httpx

    from easify_async import AsyncEasify, RateLimitError

    SENT = {"status": True, "message": " SMS Processed successfully.", "data": {"sms_id": "1"}}
    REFUSED = {"status": False, "message": "Too many requests. Try again in 5 seconds"}
    STATUS = int(sys.argv[3])


    async def main() -> None:
        body = SENT if STATUS == 200 else REFUSED
        transport = httpx.MockTransport(lambda request: httpx.Response(STATUS, json=body))
        async with AsyncEasify(sys.argv[2], transport=transport, max_retries=0) as easify:
            try:
                await easify.sms.send("3152930000", "+13151350000", message="hi")
            except RateLimitError:
                pass


    anyio.run(main, backend=sys.argv[1])
    """
)


def run_with(
    backend: str, level: str | None, status: int = 200
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "EASIFY_LOG"}
    if level is not None:
        env["EASIFY_LOG"] = level
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, backend, TOKEN, str(status)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_debug_logs_one_line_per_attempt_to_stderr(backend: str) -> None:
    result = run_with(backend, "debug")
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "easify_async - DEBUG] POST sms/send: attempt 1 -> 200 in " in lines[0]
    assert "(limiter wait " in lines[0]
    assert lines[0].endswith("; no retry: a final reply")
    assert result.stdout == ""
    assert [form for form in token_forms(TOKEN) if form in result.stderr] == []


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("level", ["info", "INFO", None, "", "1", "verbose"])
def test_other_levels_show_no_attempt_line(backend: str, level: str | None) -> None:
    """info shows retries and pauses only (none here); unset or unknown values change
    nothing: logging stays the application's."""
    assert run_with(backend, level).stderr == ""


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_info_shows_a_429_pause_but_no_attempt_line(backend: str) -> None:
    lines = run_with(backend, "info", status=429).stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("easify_async - INFO] POST sms/send: 429, paused for 6.0 s")
    debug = run_with(backend, "debug", status=429).stderr.splitlines()
    assert [line.partition("] ")[2] for line in debug] == [
        "POST sms/send: 429, paused for 6.0 s",
        debug[1].partition("] ")[2],
    ]
    assert "attempt 1 -> 429 in " in debug[1]
    assert debug[1].endswith(
        "; no retry: HTTP 429, asked to wait 6 s; out of retries (max_retries=0)"
    )


@pytest.mark.anyio
async def test_each_attempt_line_says_why_it_was_retried_or_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder(
        default=reply(500, {"status": False, "message": f"Server Error {TOKEN}", "errors": []})
    )
    caplog.set_level(logging.DEBUG, logger="easify_async")
    async with AsyncEasify(TOKEN, transport=recorder.transport(), max_retries=1) as easify:
        with pytest.raises(ServerError):
            await easify.sms.status(f"1{TOKEN}")
    lines = [r.getMessage() for r in caplog.records if "attempt" in r.getMessage()]
    assert len(lines) == 2
    assert lines[0].startswith("GET sms/status: attempt 1 -> 500 in ")
    assert "; retry in " in lines[0]
    assert lines[0].endswith(": HTTP 500: may have acted, repeated as an idempotent route")
    assert lines[1].startswith("GET sms/status: attempt 2 -> 500 in ")
    assert lines[1].endswith(
        "; no retry: HTTP 500: may have acted, repeated as an idempotent "
        "route; out of retries (max_retries=1)"
    )
    assert [form for form in token_forms(TOKEN) if form in caplog.text] == []


@pytest.mark.anyio
async def test_a_failed_attempt_logs_the_failure_type_not_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder(answers=[httpx.RemoteProtocolError(f"peer closed {TOKEN}")])
    caplog.set_level(logging.DEBUG, logger="easify_async")
    async with AsyncEasify(TOKEN, transport=recorder.transport()) as easify:
        with pytest.raises(Exception):  # noqa: B017, PT011 - the log is what is asserted
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    (line,) = [r.getMessage() for r in caplog.records if "attempt" in r.getMessage()]
    assert line.startswith("POST sms/send: attempt 1 -> RemoteProtocolError in ")
    assert line.endswith("; no retry: RemoteProtocolError: a send the server may have acted on")
    assert [form for form in token_forms(TOKEN) if form in caplog.text] == []
