"""Every input gives a valid request or an ArgumentError, never another exception."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import zoneinfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import ArgumentError, InvalidScheduleError
from easify_async._endpoints.email import encode_email_send
from easify_async._endpoints.sms import encode_sms_send
from easify_async._validation import (
    SUPPORTED_COUNTRY_CODES,
    check_base_url,
    read_upload,
    schedule_fields,
    split_phone_number,
)
from easify_async.bulk import EmailMessage, SmsMessage

FORMAT = "%Y-%m-%d %H:%M:%S"
CODES = sorted(SUPPORTED_COUNTRY_CODES)
PHONE_TEXT = st.text(alphabet="+0123456789 ()-.x", max_size=20) | st.text(max_size=20)
COUNTRY = st.none() | st.sampled_from([*CODES, "1", "44", "972", "+49", "", " +44 "]) | st.text()
SEPARATOR = st.sampled_from(["", " ", "-", ".", "(", ")"])
ZONE_NAME = st.none() | st.timezone_keys() | st.text(max_size=30)
AWARE_ZONE = (
    st.none()
    | st.timezones()
    | st.just(dt.timezone.utc)
    | st.builds(dt.timezone, st.timedeltas(dt.timedelta(hours=-23), dt.timedelta(hours=23)))
)
WALL_TEXT = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2200, 1, 1)).map(
    lambda d: d.strftime(FORMAT)
)
SCHEDULE = (
    st.none()
    | st.datetimes(timezones=AWARE_ZONE)
    | WALL_TEXT
    | st.text(max_size=25)
    | st.integers()
)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(to_number=PHONE_TEXT, country_code=COUNTRY, from_number=PHONE_TEXT)
def test_any_phone_input_is_a_request_or_an_argument_error(
    to_number: str, country_code: str | None, from_number: str
) -> None:
    """Whatever the numbers and country code, the send encodes or raises ArgumentError."""
    try:
        item = SmsMessage(from_number, to_number, country_code=country_code, message="m")
        encoded = encode_sms_send(item)
    except ArgumentError:
        return
    body = encoded.json
    assert body is not None
    assert body["country_code"] in SUPPORTED_COUNTRY_CODES
    assert body["to_number"].isdigit()
    assert len(body["to_number"]) in SUPPORTED_COUNTRY_CODES[body["country_code"]]


@FAST
@given(code=st.sampled_from(CODES), data=st.data())
def test_every_international_form_of_a_number_reads_the_same(
    code: str, data: st.DataObject
) -> None:
    """+CC and 00CC, with any separators and the trunk (0), give the same (code, national)."""
    length = data.draw(st.sampled_from(list(SUPPORTED_COUNTRY_CODES[code])))
    # A North American area code starts with 2-9; UK and Israeli numbers with any but 0.
    first = "[2-9]" if code == "+1" else "[1-9]"
    national = data.draw(st.from_regex(rf"{first}[0-9]{{{length - 1}}}", fullmatch=True))
    prefix = data.draw(st.sampled_from(["+", "00"]))
    trunk = "" if code == "+1" else data.draw(st.sampled_from(["", "0", "(0)"]))
    parts = [prefix, code[1:], trunk, *national]
    number = "".join(part + data.draw(SEPARATOR) for part in parts)
    given_code = data.draw(st.sampled_from([None, code, code[1:]]))
    assert split_phone_number("to_number", number, given_code) == (code, national)


@FAST
@given(schedule_time=SCHEDULE, schedule_timezone=ZONE_NAME)
def test_any_schedule_input_is_future_text_or_an_invalid_schedule_error(
    schedule_time: dt.datetime | str | None, schedule_timezone: str | None
) -> None:
    """Every accepted schedule is the API's text and not past in the zone it was read in."""
    now = dt.datetime.now(dt.timezone.utc)
    try:
        text, zone = schedule_fields(schedule_time, schedule_timezone)
    except InvalidScheduleError:
        return
    if text is None:
        assert schedule_time is None
        assert zone is None
        return
    wall = dt.datetime.strptime(text, FORMAT)
    assert wall.strftime(FORMAT) == text
    if zone is None:
        # The account's zone: only a time past in every zone (UTC-12) is refused.
        assert isinstance(schedule_time, str)
        assert wall.replace(tzinfo=dt.timezone(dt.timedelta(hours=-12))) >= now
    else:
        # An hour of slack: a wall time met twice a night is read at its first occurrence.
        assert wall.replace(tzinfo=zoneinfo.ZoneInfo(zone)) >= now - dt.timedelta(hours=1)
        if isinstance(schedule_time, dt.datetime) and schedule_time.utcoffset() is not None:
            assert schedule_time.astimezone(zoneinfo.ZoneInfo(zone)).strftime(FORMAT) == text
    assert schedule_timezone is None or zone == schedule_timezone


@FAST
@given(schedule_time=SCHEDULE, schedule_timezone=ZONE_NAME)
def test_an_email_with_any_schedule_encodes_or_raises_an_argument_error(
    schedule_time: dt.datetime | str | None, schedule_timezone: str | None
) -> None:
    """The email encoder lets no schedule input escape as another exception."""
    with contextlib.suppress(ArgumentError):
        encode_email_send(
            EmailMessage(
                "qa@example.com",
                "ann@example.com",
                "S",
                message="m",
                schedule_time=schedule_time,
                schedule_timezone=schedule_timezone,
            )
        )


@FAST
@given(content=st.binary(max_size=64), kind=st.sampled_from(["bytes", "file"]))
def test_an_upload_is_read_exactly_when_it_has_bytes(content: bytes, kind: str) -> None:
    """Non-empty bytes or file objects are read whole; empty ones are an ArgumentError."""
    value = content if kind == "bytes" else io.BytesIO(content)
    try:
        upload = read_upload("media", value)
    except ArgumentError:
        assert content == b""
    else:
        assert upload.content == content != b""


@FAST
@given(
    url=st.text(max_size=40)
    | st.builds(
        "{}://{}{}".format,
        st.sampled_from(["http", "https", "ftp", ""]),
        st.text(max_size=15),
        st.text(max_size=15),
    )
)
def test_any_base_url_is_kept_or_an_argument_error(url: str) -> None:
    """check_base_url returns an http(s) URL with a host, or raises ArgumentError."""
    try:
        kept = check_base_url(url)
    except ArgumentError as exc:
        refused = exc.argument
        assert refused == "base_url"
        return
    assert kept.lower().startswith(("http://", "https://"))
    assert not kept.endswith("/")
    assert "?" not in kept
    assert "#" not in kept
