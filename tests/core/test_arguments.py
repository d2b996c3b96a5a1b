"""Bad arguments fail before any request is made or any rate-limit slot is spent."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from easify_async import (
    ArgumentError,
    AsyncEasify,
    CountryCodeConflictError,
    InvalidEmailError,
    InvalidFileError,
    InvalidPhoneNumberError,
    InvalidScheduleError,
    MissingContentError,
    RateLimit,
    RateLimits,
    UnsupportedCountryError,
)
from easify_async.limiters import LocalLimiter
from tests.fakes import Recorder, reply

pytestmark = pytest.mark.anyio

FUTURE = dt.datetime(2099, 1, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
SMS = {"from_number": "3152930000", "to_number": "+13151350000", "message": "hi"}
EMAIL = {"sender": "qa@example.com", "receiver": "ann@example.com", "subject": "S", "message": "m"}

Call = Callable[[AsyncEasify], Awaitable[Any]]


def sms(**changes: Any) -> Call:
    return lambda easify: easify.sms.send(**{**SMS, **changes})


def email(**changes: Any) -> Call:
    return lambda easify: easify.email.send(**{**EMAIL, **changes})


CASES = [
    pytest.param(sms(message=None), MissingContentError, "message", id="sms-no-content"),
    pytest.param(sms(message="   "), MissingContentError, "message", id="sms-blank-message"),
    pytest.param(
        sms(to_number="+33612345678"), UnsupportedCountryError, "to_number", id="sms-france"
    ),
    pytest.param(
        sms(to_number="3151350000", country_code="+49"),
        UnsupportedCountryError,
        "country_code",
        id="sms-bad-code",
    ),
    pytest.param(
        sms(to_number="3151350000"), InvalidPhoneNumberError, "to_number", id="sms-no-country"
    ),
    pytest.param(sms(to_number="+1315135"), InvalidPhoneNumberError, "to_number", id="sms-short"),
    pytest.param(
        sms(to_number="+1315135abcd"), InvalidPhoneNumberError, "to_number", id="sms-letters"
    ),
    pytest.param(sms(to_number=3151350000), InvalidPhoneNumberError, "to_number", id="sms-int"),
    pytest.param(
        sms(country_code="+44"), CountryCodeConflictError, "country_code", id="sms-conflict"
    ),
    pytest.param(
        sms(from_number="not-a-number"), InvalidPhoneNumberError, "from_number", id="sms-bad-from"
    ),
    pytest.param(sms(media="/no/such/file.gif"), InvalidFileError, "media", id="sms-missing-file"),
    pytest.param(sms(media=object()), InvalidFileError, "media", id="sms-not-a-file"),
    pytest.param(sms(media=b""), InvalidFileError, "media", id="sms-empty-bytes"),
    pytest.param(sms(media=io.BytesIO()), InvalidFileError, "media", id="sms-empty-file-object"),
    pytest.param(sms(media=""), InvalidFileError, "media", id="sms-empty-path"),
    pytest.param(
        sms(to_number="0033 6 12 34 56 78"),
        UnsupportedCountryError,
        "to_number",
        id="sms-00-france",
    ),
    pytest.param(
        sms(to_number="0044 7700 900123", country_code="+1"),
        CountryCodeConflictError,
        "country_code",
        id="sms-00-conflict",
    ),
    pytest.param(
        sms(to_number="0044 7700 9001"), InvalidPhoneNumberError, "to_number", id="sms-00-short"
    ),
    pytest.param(sms(lead_id=1.5), ArgumentError, "lead_id", id="sms-lead-float"),
    pytest.param(lambda e: e.sms.status(""), ArgumentError, "sms_id", id="status-empty"),
    pytest.param(lambda e: e.sms.status(None), ArgumentError, "sms_id", id="status-none"),
    pytest.param(
        lambda e: e.sms.wait_for_final_status("1", timeout=1, poll_interval=0),
        ArgumentError,
        "poll_interval",
        id="wait-interval",
    ),
    pytest.param(
        lambda e: e.sms.wait_for_final_status("1", timeout=-1),
        ArgumentError,
        "timeout",
        id="wait-negative-timeout",
    ),
    pytest.param(
        lambda e: e.sms.wait_for_final_status(" ", timeout=1),
        ArgumentError,
        "sms_id",
        id="wait-empty-id",
    ),
    pytest.param(
        email(sender="qa.example.com"), InvalidEmailError, "sender", id="email-bad-sender"
    ),
    pytest.param(email(receiver="ann@"), InvalidEmailError, "receiver", id="email-bad-receiver"),
    pytest.param(email(subject=" "), ArgumentError, "subject", id="email-no-subject"),
    pytest.param(email(message=None), MissingContentError, "message", id="email-no-content"),
    pytest.param(
        email(schedule_time="tomorrow"), InvalidScheduleError, "schedule_time", id="email-bad-time"
    ),
    pytest.param(
        email(schedule_time=dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc)),
        InvalidScheduleError,
        "schedule_time",
        id="email-past",
    ),
    pytest.param(
        email(schedule_time=dt.datetime(2001, 1, 1, 9, 0), schedule_timezone="America/New_York"),
        InvalidScheduleError,
        "schedule_time",
        id="email-naive-past-in-its-zone",
    ),
    pytest.param(
        email(schedule_time="2001-01-01 09:00:00", schedule_timezone="Asia/Jerusalem"),
        InvalidScheduleError,
        "schedule_time",
        id="email-string-past-in-its-zone",
    ),
    pytest.param(
        email(schedule_time="2001-01-01 09:00:00"),
        InvalidScheduleError,
        "schedule_time",
        id="email-string-past-everywhere",
    ),
    pytest.param(
        email(schedule_time=FUTURE.replace(tzinfo=None)),
        InvalidScheduleError,
        "schedule_time",
        id="email-naive-without-zone",
    ),
    pytest.param(
        email(schedule_time="2099-03-08 02:30:00", schedule_timezone="America/New_York"),
        InvalidScheduleError,
        "schedule_time",
        id="email-time-the-clocks-skip",
    ),
    pytest.param(
        email(schedule_time=dt.datetime(2099, 3, 8, 2, 30, tzinfo=FUTURE.tzinfo)),
        InvalidScheduleError,
        "schedule_time",
        id="email-aware-time-the-clocks-skip",
    ),
    pytest.param(
        email(schedule_time="2099-01-01 09:00:00", schedule_timezone=5),
        InvalidScheduleError,
        "schedule_timezone",
        id="email-zone-not-a-string",
    ),
    pytest.param(
        email(schedule_time=FUTURE, schedule_timezone="Europe/London"),
        InvalidScheduleError,
        "schedule_timezone",
        id="email-zone-conflict",
    ),
    pytest.param(
        email(schedule_time=dt.datetime(2099, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        InvalidScheduleError,
        "schedule_time",
        id="email-offset-without-name",
    ),
    pytest.param(
        email(schedule_time=FUTURE.replace(tzinfo=None), schedule_timezone="Mars/Base"),
        InvalidScheduleError,
        "schedule_timezone",
        id="email-unknown-zone",
    ),
    pytest.param(
        email(schedule_timezone="UTC"),
        InvalidScheduleError,
        "schedule_timezone",
        id="email-zone-without-time",
    ),
    pytest.param(
        email(additional_data={"when": dt.date(2020, 1, 1)}),
        ArgumentError,
        "additional_data",
        id="email-data-not-json",
    ),
    pytest.param(email(attachment=b""), InvalidFileError, "attachment", id="email-empty-bytes"),
    pytest.param(email(attachment=[]), InvalidFileError, "attachment", id="email-empty-list"),
    pytest.param(
        email(attachment=[b"x", io.BytesIO()]),
        InvalidFileError,
        "attachment[1]",
        id="email-empty-file-in-list",
    ),
    pytest.param(
        email(attachment=[b"x", "https://x.example/a"]),
        ArgumentError,
        "attachment",
        id="email-url-in-list",
    ),
]


@pytest.mark.parametrize(("call", "error", "argument"), CASES)
async def test_bad_argument_raises_before_any_request_or_slot(
    call: Call, error: type[ArgumentError], argument: str
) -> None:
    """The typed ValueError names the argument; no request went out and no slot was taken."""
    email_sent = {"status": True, "message": "ok", "data": {"email_id": "674"}}
    recorder = Recorder(answers=[reply(), reply(200, email_sent)])
    limiter = LocalLimiter()
    one = RateLimit(1, 3600.0)
    limits = RateLimits(sms_send=one, email_send=one, sms_status=one)
    async with AsyncEasify(
        "t", transport=recorder.transport(), limiter=limiter, rate_limits=limits
    ) as easify:
        with pytest.raises(error) as caught:
            await call(easify)
        assert isinstance(caught.value, ValueError)
        assert caught.value.argument == argument
        assert argument in str(caught.value)
        assert recorder.requests == []
        # The only slot of each endpoint is still free: a valid call goes straight through.
        await easify.sms.send(**SMS)
        await easify.email.send(**EMAIL)
    assert len(recorder.requests) == 2


async def test_missing_token_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No argument and no EASIFY_API_TOKEN: ArgumentError naming api_token."""
    monkeypatch.delenv("EASIFY_API_TOKEN", raising=False)
    with pytest.raises(ArgumentError, match="api_token"):
        AsyncEasify()


def test_http_client_and_transport_are_exclusive() -> None:
    """Passing both an httpx client and a transport is refused."""
    import httpx

    with pytest.raises(ArgumentError, match="transport"):
        AsyncEasify(
            "t",
            http_client=httpx.AsyncClient(),
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
        )


@pytest.mark.parametrize("argument", ["media", "attachment"])
async def test_an_empty_file_on_disk_is_refused(tmp_path: Path, argument: str) -> None:
    """A 0-byte file, by path or opened, is an InvalidFileError naming the path; nothing is sent."""
    empty = tmp_path / "empty.gif"
    empty.write_bytes(b"")
    recorder = Recorder()
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        send = sms if argument == "media" else email
        with pytest.raises(InvalidFileError, match=r"'.*empty\.gif' is an empty file"):
            await send(**{argument: empty})(easify)
        with empty.open("rb") as file, pytest.raises(InvalidFileError, match="gave no bytes"):
            await send(**{argument: file})(easify)
    assert recorder.requests == []


async def test_a_naive_datetime_without_zone_says_what_to_pass() -> None:
    """Refusing a naive datetime names both ways out: an aware one, or schedule_timezone."""
    async with AsyncEasify("t", transport=Recorder().transport()) as easify:
        with pytest.raises(InvalidScheduleError) as caught:
            await email(schedule_time=dt.datetime(2099, 1, 1, 9, 0))(easify)
    assert "aware datetime" in caught.value.reason
    assert "schedule_timezone=" in caught.value.reason


async def test_a_past_wall_time_is_reported_in_its_zone() -> None:
    """A past naive time says the zone it was read in and the time there now."""
    async with AsyncEasify("t", transport=Recorder().transport()) as easify:
        with pytest.raises(InvalidScheduleError) as caught:
            await email(schedule_time="2001-01-01 09:00:00", schedule_timezone="Asia/Tokyo")(easify)
    reason = caught.value.reason
    assert reason.startswith("2001-01-01 09:00:00 in Asia/Tokyo is in the past (it is ")
    assert reason.endswith(" there now)")


@pytest.mark.parametrize(
    "value", ["²", "١٢", " \uff13 "], ids=["superscript", "arabic", "fullwidth"]
)
async def test_an_id_of_non_ascii_digits_is_an_argument_error(value: str) -> None:
    """A string `isdigit` calls digits but `int` may not read is refused, not a ValueError."""
    recorder = Recorder()
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        with pytest.raises(ArgumentError, match="phone_number_id"):
            await easify.phone_numbers.update_webhook(value, webhook_url=None)
    assert recorder.requests == []
