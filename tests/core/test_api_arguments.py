"""The list, number and campaign calls check their arguments before any request."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify, InvalidFileError

CSV = b"phone_number\n+13151350000\n"


REPORT = {"from_date": "2026-11-01", "to_date": "2026-11-30"}
CALLS: list[Any] = [
    pytest.param(
        lambda e: e.sms.report(from_date="2026/11/01", to_date="2026-11-30"),
        "from_date",
        id="report-bad-date",
    ),
    pytest.param(
        lambda e: e.sms.report(from_date="2026-02-30", to_date="2026-03-01"),
        "from_date",
        id="report-no-such-day",
    ),
    pytest.param(
        lambda e: e.sms.report(from_date=dt.datetime(2026, 1, 1), to_date="2026-03-01"),
        "from_date",
        id="report-datetime",
    ),
    pytest.param(
        lambda e: e.sms.report(from_date="2026-12-01", to_date="2026-11-30"),
        "from_date",
        id="report-reversed",
    ),
    pytest.param(lambda e: e.sms.report(**REPORT, status="Lost"), "status", id="report-status"),
    pytest.param(lambda e: e.sms.report(**REPORT, order="up"), "order", id="report-order"),
    pytest.param(
        lambda e: e.sms.report(**REPORT, receiver="3151350000"),
        "receiver",
        id="report-national-no-code",
    ),
    pytest.param(
        lambda e: e.sms.report(**REPORT, country_code="+1"), "country_code", id="report-code-alone"
    ),
    pytest.param(lambda e: e.sms.report(**REPORT, sender="abc"), "sender", id="report-sender"),
    pytest.param(lambda e: e.sms.chat_history("3152930000", "315"), "receiver", id="chat-receiver"),
    pytest.param(lambda e: e.sms.chat_history("x", "+13151350000"), "sender", id="chat-sender"),
    pytest.param(lambda e: e.campaigns.items(0), "campaign_id", id="items-id"),
    pytest.param(lambda e: e.campaigns.items(1, limit=0), "limit", id="items-limit"),
]


@pytest.mark.parametrize(("call", "argument"), CALLS)
def test_list_calls_refuse_bad_arguments_at_the_call(
    easify: AsyncEasify,
    sent: list[httpx.Request],
    call: Callable[[AsyncEasify], Any],
    argument: str,
) -> None:
    """The paginator is not even built: the error names the argument, nothing is sent."""
    with pytest.raises(ArgumentError) as caught:
        call(easify)
    assert caught.value.argument == argument
    assert sent == []


ASYNC_CALLS: list[Any] = [
    pytest.param(
        lambda e: e.phone_numbers.update_webhook(0, webhook_url="https://x.example"),
        "phone_number_id",
        id="webhook-id",
    ),
    pytest.param(
        lambda e: e.phone_numbers.update_webhook(1, webhook_url="ftp://x"),
        "webhook_url",
        id="webhook-url",
    ),
    pytest.param(lambda e: e.campaigns.status("abc"), "campaign_id", id="status-id"),
    pytest.param(
        lambda e: e.campaigns.send(" ", ["+13152930000"], [7], CSV), "campaign_name", id="send-name"
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", [], [7], CSV), "from_numbers", id="send-no-numbers"
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", "+13152930000", [7], CSV),
        "from_numbers",
        id="send-number-not-list",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+99123"], [7], CSV),
        "from_numbers[0]",
        id="send-bad-number",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [], CSV),
        "template_ids",
        id="send-no-templates",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7, -1], CSV),
        "template_ids[1]",
        id="send-bad-template",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7], b"  \n"),
        "recipients",
        id="send-empty-bytes",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7], io.BytesIO(b"")),
        "recipients",
        id="send-empty-file",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7], "/no/such/file.csv"),
        "recipients",
        id="send-missing-path",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7], CSV, schedule_time="tomorrow"),
        "schedule_time",
        id="send-schedule",
    ),
    pytest.param(
        lambda e: e.campaigns.send("N", ["+13152930000"], [7], CSV, schedule_timezone="Mars/Base"),
        "schedule_timezone",
        id="send-zone",
    ),
    pytest.param(
        lambda e: e.campaigns.wait_for_completion(1, timeout=1, poll_interval=0),
        "poll_interval",
        id="wait-interval",
    ),
]


@pytest.mark.parametrize(("call", "argument"), ASYNC_CALLS)
@pytest.mark.anyio
async def test_calls_refuse_bad_arguments_before_any_request(
    easify: AsyncEasify,
    sent: list[httpx.Request],
    call: Callable[[AsyncEasify], Any],
    argument: str,
) -> None:
    """An ArgumentError naming the argument, and no request."""
    with pytest.raises(ArgumentError) as caught:
        await call(easify)
    assert caught.value.argument == argument
    assert sent == []


@pytest.mark.anyio
async def test_an_empty_csv_on_disk_is_an_invalid_file(
    easify: AsyncEasify, sent: list[httpx.Request], tmp_path: Path
) -> None:
    """A CSV file with no content is refused as such before anything is sent."""
    empty = tmp_path / "r.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidFileError, match="empty"):
        await easify.campaigns.send("N", ["+13152930000"], [7], empty)
    assert sent == []
