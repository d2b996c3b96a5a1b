"""Every parameter goes out in the API's own encoding."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import zoneinfo
from pathlib import Path

import pytest

from easify_async import AsyncEasify, InvalidFileError, InvalidScheduleError, SmsSent, SmsStatus
from tests.fakes import Recorder, reply

pytestmark = pytest.mark.anyio

EMAIL_SENT = {
    "status": True,
    "message": "Email processed successfully",
    "data": {"email_id": "6746c18a3b67fc3da50e0000"},
}


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def easify(recorder: Recorder) -> AsyncEasify:
    async with AsyncEasify(
        "1087|secret", base_url="http://127.0.0.1:9/api/v2", transport=recorder.transport()
    ) as client:
        yield client  # type: ignore[misc]


def form_fields(content: bytes) -> dict[str, str]:
    """The text fields of a multipart body (files left out)."""
    fields = {}
    for part in content.split(b"--")[1:]:
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="' in head and b"filename=" not in head:
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = value.rsplit(b"\r\n", 1)[0].decode()
    return fields


async def test_sms_send_is_json_with_national_numbers_and_the_derived_country_code(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """E.164 is split into country_code + national number; options are 1/0."""
    sent = await easify.sms.send(
        "+1 (315) 293-0000", "+447700900123", message="Hi", lead_id=42, force_send=True
    )
    request = recorder.requests[-1]
    assert request.method == "POST"
    assert str(request.url) == "http://127.0.0.1:9/api/v2/sms/send"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer 1087|secret"
    assert recorder.last_json == {
        "from_number": "3152930000",
        "to_number": "7700900123",
        "country_code": "+44",
        "message": "Hi",
        "lead_id": "42",
        "force_send": 1,
    }
    assert sent == SmsSent(sms_id="31529", message="SMS Processed successfully.")


async def test_sms_send_national_number_with_explicit_country_code(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """country_code='972' (no plus) goes out as +972; unset options are absent."""
    await easify.sms.send("3152930000", "50-123-4567", country_code="972", message="shalom")
    assert recorder.last_json == {
        "from_number": "3152930000",
        "to_number": "501234567",
        "country_code": "+972",
        "message": "shalom",
    }


async def test_sms_media_url_is_a_json_field(easify: AsyncEasify, recorder: Recorder) -> None:
    """A media URL needs no upload: it is a JSON string and the message may be left out."""
    await easify.sms.send("3152930000", "+13151350000", media="https://cdn.example.com/cat.gif")
    assert recorder.last_json["media"] == "https://cdn.example.com/cat.gif"
    assert "message" not in recorder.last_json


@pytest.mark.parametrize("kind", ["bytes", "path", "file"])
async def test_sms_media_file_goes_up_as_multipart(
    easify: AsyncEasify, recorder: Recorder, tmp_path: Path, kind: str
) -> None:
    """Bytes, a path or a binary file object become a multipart `media` part; fields stay text."""
    content = b"GIF89a\x01\x00"
    path = tmp_path / "cat.gif"
    path.write_bytes(content)
    media = {"bytes": content, "path": str(path), "file": io.BytesIO(content)}[kind]
    await easify.sms.send("3152930000", "+13151350000", message="Hi", media=media, force_send=True)
    request = recorder.requests[-1]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="media"' in request.content
    assert content in request.content
    assert form_fields(request.content) == {
        "from_number": "3152930000",
        "to_number": "3151350000",
        "country_code": "+1",
        "message": "Hi",
        "force_send": "1",
    }


async def test_sms_status_is_a_get_with_the_id_in_the_query(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """status() sends GET sms/status?sms_id=... and keeps an unknown status value."""
    recorder.default = reply(
        200,
        {
            "status": True,
            "message": "SMS status successfully fetched",
            "data": {"status": "Queued", "remarks": "x"},
        },
    )
    info = await easify.sms.status(3315)
    request = recorder.requests[-1]
    assert request.method == "GET"
    assert str(request.url) == "http://127.0.0.1:9/api/v2/sms/status?sms_id=3315"
    assert request.content == b""
    assert info.status.value == "Queued"
    assert not info.status.is_known
    assert info.remarks == "x"


@pytest.mark.parametrize("value", [s.value for s in SmsStatus])
async def test_every_documented_status_value_is_structured(
    easify: AsyncEasify, recorder: Recorder, value: str
) -> None:
    """Each documented status comes back as its enum member."""
    recorder.default = reply(
        200, {"status": True, "message": "", "data": {"status": value, "remarks": ""}}
    )
    info = await easify.sms.status("1")
    assert info.status is SmsStatus(value)
    assert info.status.is_known


async def test_email_send_json_with_every_option(easify: AsyncEasify, recorder: Recorder) -> None:
    """Every email option in its API form: 1/0, schedule text + IANA zone, JSON data."""
    recorder.default = reply(200, EMAIL_SENT)
    when = dt.datetime(2099, 3, 4, 5, 6, 7, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    sent = await easify.email.send(
        "qa@example.com",
        "ann@example.com",
        "Hello",
        message="<p>Hi</p>",
        enable_unsubscribe=True,
        schedule_time=when,
        additional_data={"name": "John", "id": "232", "nested": {"a": [1, 2]}},
        from_name="Easify",
    )
    assert str(recorder.requests[-1].url).endswith("/api/v2/email/send")
    assert recorder.last_json == {
        "sender": "qa@example.com",
        "receiver": "ann@example.com",
        "subject": "Hello",
        "message": "<p>Hi</p>",
        "enable_unsubscribe": 1,
        "schedule_time": "2099-03-04 05:06:07",
        "schedule_timezone": "America/New_York",
        "additional_data": {"name": "John", "id": "232", "nested": {"a": [1, 2]}},
        "from_name": "Easify",
    }
    assert sent.email_id == "6746c18a3b67fc3da50e0000"


async def test_email_naive_schedule_time_with_timezone_and_string_form(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """A naive datetime is wall time in schedule_timezone; the API's string form passes as is."""
    recorder.default = reply(200, EMAIL_SENT)
    await easify.email.send(
        "qa@example.com",
        "ann@example.com",
        "S",
        message="m",
        schedule_time=dt.datetime(2099, 1, 2, 3, 4, 5),
        schedule_timezone="Asia/Jerusalem",
    )
    assert recorder.last_json["schedule_time"] == "2099-01-02 03:04:05"
    assert recorder.last_json["schedule_timezone"] == "Asia/Jerusalem"
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", message="m", schedule_time="2099-01-02 03:04:05"
    )
    assert recorder.last_json["schedule_time"] == "2099-01-02 03:04:05"
    assert "schedule_timezone" not in recorder.last_json


async def test_aware_datetime_converted_to_an_explicit_matching_zone(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """An aware datetime with an agreeing schedule_timezone is written as wall time of that zone."""
    recorder.default = reply(200, EMAIL_SENT)
    when = dt.datetime(2099, 7, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    await easify.email.send(
        "qa@example.com",
        "ann@example.com",
        "S",
        message="m",
        schedule_time=when,
        schedule_timezone="Europe/Dublin",
    )
    assert recorder.last_json["schedule_time"] == "2099-07-01 12:00:00"
    assert recorder.last_json["schedule_timezone"] == "Europe/Dublin"


async def test_email_attachments_go_up_as_multipart(
    easify: AsyncEasify, recorder: Recorder, tmp_path: Path
) -> None:
    """One file is `attachment`, several `attachment[]`; additional_data is JSON text."""
    recorder.default = reply(200, EMAIL_SENT)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7")
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", attachment=report, additional_data={"k": 1}
    )
    request = recorder.requests[-1]
    assert b'name="attachment"; filename="report.pdf"' in request.content
    fields = form_fields(request.content)
    assert json.loads(fields["additional_data"]) == {"k": 1}
    assert "message" not in fields
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", message="m", attachment=[b"a", io.BytesIO(b"b")]
    )
    assert recorder.requests[-1].content.count(b'name="attachment[]"') == 2


async def test_files_can_be_named_and_bytes_are_not_named_after_an_index(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """`(filename, bytes)` goes up under its name, alone or listed; bare bytes as "attachment"."""
    recorder.default = reply(200, EMAIL_SENT)
    send = functools.partial(easify.email.send, "qa@example.com", "ann@example.com", "S")
    await send(attachment=("report.pdf", b"%PDF-1.7"))
    assert b'name="attachment"; filename="report.pdf"' in recorder.requests[-1].content
    await send(attachment=[("a.txt", b"a"), b"b"])
    content = recorder.requests[-1].content
    assert b'name="attachment[]"; filename="a.txt"' in content
    assert b'name="attachment[]"; filename="attachment"' in content
    assert b'filename="attachment[' not in content
    recorder.default = reply()
    await easify.sms.send("3152930000", "+13151350000", media=("cat.gif", b"GIF89a"))
    assert b'name="media"; filename="cat.gif"' in recorder.requests[-1].content


@pytest.mark.parametrize("attachment", [("", b"x"), ("a.txt", b"")], ids=["no-name", "no-bytes"])
async def test_a_named_file_needs_a_name_and_bytes(
    easify: AsyncEasify, recorder: Recorder, attachment: tuple[str, bytes]
) -> None:
    """An empty name or empty content is an `InvalidFileError` naming the argument."""
    with pytest.raises(InvalidFileError, match="attachment"):
        await easify.email.send("qa@example.com", "ann@example.com", "S", attachment=attachment)
    assert recorder.requests == []


async def test_email_attachment_url_is_a_json_field(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """An attachment URL stays a JSON string."""
    recorder.default = reply(200, EMAIL_SENT)
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", attachment="https://x.example/a.pdf"
    )
    assert recorder.last_json["attachment"] == "https://x.example/a.pdf"


@pytest.mark.parametrize(
    ("to_number", "country_code", "expected"),
    [
        pytest.param("07700 900123", "+44", ("+44", "7700900123"), id="uk-trunk-zero"),
        pytest.param("+44 (0)7700 900123", None, ("+44", "7700900123"), id="uk-e164-with-zero"),
        pytest.param("050-123-4567", "+972", ("+972", "501234567"), id="il-trunk-zero"),
        pytest.param("+1.315.135.0000", None, ("+1", "3151350000"), id="us-dots"),
    ],
)
async def test_national_formats_are_normalised(
    easify: AsyncEasify,
    recorder: Recorder,
    to_number: str,
    country_code: str | None,
    expected: tuple[str, str],
) -> None:
    """Separators and the UK/Israeli trunk 0 are removed before sending."""
    await easify.sms.send("3152930000", to_number, country_code=country_code, message="m")
    assert (recorder.last_json["country_code"], recorder.last_json["to_number"]) == expected


INTERNATIONAL_FORMS = [
    pytest.param(number, code, expected, id=f"{number}|{code}")
    for expected, numbers in {
        ("+44", "7700900123"): [
            "0044 7700 900123",
            "00447700900123",
            "0044 (0)7700 900123",
            "0044-7700-900123",
            "+44 7700 900123",
        ],
        ("+972", "501234567"): ["00972 50-123-4567", "00972 (0)50 123 4567", "+972501234567"],
        ("+1", "3151350000"): ["001 (315) 135-0000", "001.315.135.0000", "+1 315 135 0000"],
    }.items()
    for number in numbers
    for code in (None, expected[0], expected[0][1:])
]


@pytest.mark.parametrize(("to_number", "country_code", "expected"), INTERNATIONAL_FORMS)
async def test_00_prefixed_numbers_are_international(
    easify: AsyncEasify,
    recorder: Recorder,
    to_number: str,
    country_code: str | None,
    expected: tuple[str, str],
) -> None:
    """00 (the UK and Israeli international prefix) reads like +, with or without country_code."""
    await easify.sms.send("3152930000", to_number, country_code=country_code, message="m")
    assert (recorder.last_json["country_code"], recorder.last_json["to_number"]) == expected


async def test_00_prefixed_sender_number(easify: AsyncEasify, recorder: Recorder) -> None:
    """from_number in the 00 form goes out national, like its E.164 form."""
    await easify.sms.send("001 315 293 0000", "+13151350000", message="m")
    assert recorder.last_json["from_number"] == "3152930000"


async def test_a_string_schedule_without_zone_is_checked_only_against_every_zone(
    easify: AsyncEasify, recorder: Recorder
) -> None:
    """The account's zone is unknown: a string past in UTC but not past in every zone is sent."""
    recorder.default = reply(200, EMAIL_SENT)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    # Hours from the boundary (UTC-12), so the run's own duration cannot matter.
    maybe_future = (now - dt.timedelta(hours=9)).strftime("%Y-%m-%d %H:%M:%S")
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", message="m", schedule_time=maybe_future
    )
    assert recorder.last_json["schedule_time"] == maybe_future
    assert "schedule_timezone" not in recorder.last_json
    past_everywhere = (now - dt.timedelta(hours=15)).strftime("%Y-%m-%d %H:%M:%S")
    with pytest.raises(InvalidScheduleError, match="in the past in every time zone"):
        await easify.email.send(
            "qa@example.com", "ann@example.com", "S", message="m", schedule_time=past_everywhere
        )
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("schedule_time", "schedule_timezone", "expected"),
    [
        pytest.param("2099-1-2 3:04:05", None, ("2099-01-02 03:04:05", None), id="unpadded"),
        pytest.param(
            "2099-01-02 03:04:05",
            "Pacific/Kiritimati",
            ("2099-01-02 03:04:05", "Pacific/Kiritimati"),
            id="string-in-zone",
        ),
        pytest.param(
            dt.datetime(2099, 11, 1, 1, 30),
            "America/New_York",
            ("2099-11-01 01:30:00", "America/New_York"),
            id="naive-in-zone-twice-a-night",
        ),
        pytest.param(
            dt.datetime(2099, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            None,
            ("2099-01-02 03:04:05", "UTC"),
            id="aware-utc",
        ),
        pytest.param(
            dt.datetime(2099, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            "Europe/London",
            ("2099-01-02 03:04:05", "Europe/London"),
            id="aware-utc-in-an-agreeing-zone",
        ),
    ],
)
async def test_future_schedule_forms_go_out_in_the_apis_text(
    easify: AsyncEasify,
    recorder: Recorder,
    schedule_time: dt.datetime | str,
    schedule_timezone: str | None,
    expected: tuple[str, str | None],
) -> None:
    """Every accepted form becomes 'YYYY-MM-DD HH:MM:SS' plus the zone it was read in."""
    recorder.default = reply(200, EMAIL_SENT)
    await easify.email.send(
        "qa@example.com",
        "ann@example.com",
        "S",
        message="m",
        schedule_time=schedule_time,
        schedule_timezone=schedule_timezone,
    )
    sent = recorder.last_json
    assert (sent["schedule_time"], sent.get("schedule_timezone")) == expected
