"""Strict reading of signed bodies: duplicate keys refused, refusals that name the field."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async.webhooks import (
    EmailEvent,
    InvalidSignatureError,
    MalformedPayloadError,
    SmsEvent,
    _parse,
    sign,
    verify_email_events,
    verify_sms_event,
)

SECRET = "whsec_strict"
NOW = 1_734_081_000


def signed(body: bytes) -> dict[str, str]:
    """Headers signing exactly ``body``, stamped NOW."""
    return {"X-Easify-Signature": sign(body, secret=SECRET), "X-Easify-Timestamp": str(NOW)}


@pytest.mark.parametrize(
    ("body", "verify"),
    [
        pytest.param(
            b'{"sms_id":"1","status":"Failed","status":"Delivered"}',
            verify_sms_event,
            id="sms-status-twice",
        ),
        pytest.param(
            b'{"sms_id":"1","status":"Failed","x":{"a":[{"k":1,"k":2}]}}',
            verify_sms_event,
            id="sms-nested-deep",
        ),
        pytest.param(
            b'[{"event":"open","timestamp":1734081000,"event":"click"}]',
            verify_email_events,
            id="email-event-twice",
        ),
        pytest.param(
            b'[{"event":"open","timestamp":1734081000,"extra":{"a":1,"a":1}}]',
            verify_email_events,
            id="email-nested-same-value",
        ),
    ],
)
def test_a_signed_body_with_a_duplicate_key_is_refused(body: bytes, verify: object) -> None:
    """Which of two equal keys wins differs between parsers: refused, at any depth."""
    with pytest.raises(MalformedPayloadError, match="duplicate key"):
        verify(body, signed(body), secret=SECRET, now=NOW)  # type: ignore[operator]


def test_a_duplicate_key_never_verifies_through_re_encoding() -> None:
    """Signed as its last-wins reading, a body with a repeated key is a bad signature."""
    genuine = {"sms_id": "1", "status": "Failed"}
    body = b'{"sms_id":"1","status":"Delivered","status":"Failed"}'
    headers = {"X-Easify-Signature": sign(genuine, secret=SECRET), "X-Easify-Timestamp": str(NOW)}
    with pytest.raises(InvalidSignatureError):
        verify_sms_event(body, headers, secret=SECRET, now=NOW)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_in_a_signed_body_are_refused(constant: str) -> None:
    """Python's json reads NaN and Infinity; they are not JSON and PHP never writes them."""
    body = f'{{"sms_id":"1","status":"Delivered","n":{constant}}}'.encode()
    with pytest.raises(MalformedPayloadError, match="is not JSON"):
        verify_sms_event(body, signed(body), secret=SECRET, now=NOW)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param({}, "an SMS event needs 'sms_id' and 'status'", id="sms-empty"),
        pytest.param({"status": "Delivered"}, "an SMS event needs 'sms_id'", id="no-sms-id"),
        pytest.param(
            {"sms_id": "1", "status": 5}, "'status' must be a string, not 5", id="status-number"
        ),
        pytest.param(
            {"sms_id": None, "status": "Failed"},
            "'sms_id' must be a string, not null",
            id="sms-id-null",
        ),
        pytest.param(
            {"sms_id": "1", "status": "Failed", "created_at": "2025-02-30 10:00:00"},
            "'created_at' must be a time as YYYY-MM-DD HH:MM:SS, not \"2025-02-30 10:00:00\"",
            id="no-such-day",
        ),
        pytest.param([1], "an SMS event is a JSON object, not an array", id="sms-array"),
        pytest.param(
            {"sms_id": "1", "status": "Failed", "remarks": {"a": 1}},
            "'remarks' must be a string, not an object",
            id="remarks-object",
        ),
    ],
)
def test_an_sms_refusal_names_the_field(payload: object, reason: str) -> None:
    """The reason says which field is missing or wrong, in JSON's words."""
    body = json.dumps(payload).encode()
    with pytest.raises(MalformedPayloadError) as caught:
        verify_sms_event(body, signed(body), secret=SECRET, now=NOW)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("batch", "reason"),
    [
        pytest.param([{}], "event 1 of 1: an email event needs 'event'", id="no-kind"),
        pytest.param(
            [{"event": "open"}, {"event": "open", "timestamp": "soon"}],
            "event 2 of 2: 'timestamp' must be a UNIX time in seconds, not \"soon\"",
            id="timestamp-text",
        ),
        pytest.param(
            [{"event": "open", "asm_group_id": True}],
            "event 1 of 1: 'asm_group_id' must be an integer, not true",
            id="group-boolean",
        ),
        pytest.param(
            [{"event": "open", "category": [1.5]}],
            "event 1 of 1: 'category' must be a string or an array of strings, not an array",
            id="category-of-numbers",
        ),
        pytest.param(
            [[]], "event 1 of 1: an email event is a JSON object, not an array", id="nested"
        ),
        pytest.param(
            [{"event": "open", "smtp-id": 1.5}],
            "event 1 of 1: 'smtp-id' must be a string, not 1.5",
            id="renamed-key-named-as-sent",
        ),
    ],
)
def test_an_email_refusal_names_the_event_and_the_field(batch: object, reason: str) -> None:
    """The reason says which event of the batch and which field."""
    body = json.dumps(batch).encode()
    with pytest.raises(MalformedPayloadError) as caught:
        verify_email_events(body, signed(body), secret=SECRET, now=NOW)
    assert caught.value.reason == reason


# Words a refusal must never show: Python's machinery and type names.
INTERNALS = re.compile(
    r"__\w+__|Traceback|keyword|argument|\b(NoneType|dict|list|str|int|float|bool|tuple)\b"
)
# Generated text avoids the letters those words need, so a quoted value cannot spell one.
TEXT = st.text(alphabet="abcegh_-:./ 0123456789éש😀'\"\\{}", max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
SMS_KEYS = st.sampled_from(["sms_id", "status", "sender", "message", "created_at"]) | TEXT
EMAIL_KEYS = st.sampled_from(["event", "timestamp", "category", "asm_group_id", "smtp-id"]) | TEXT
SMS_BODIES = st.dictionaries(SMS_KEYS, VALUES, max_size=6) | VALUES
EMAIL_BODIES = st.lists(st.dictionaries(EMAIL_KEYS, VALUES, max_size=6) | VALUES, max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sms=SMS_BODIES, batch=EMAIL_BODIES | VALUES)
def test_any_signed_json_is_an_event_or_a_refusal_in_plain_words(
    sms: object, batch: object
) -> None:
    """Any JSON-ish signed body parses or is MalformedPayloadError, never naming internals."""
    for payload, verify in ((sms, verify_sms_event), (batch, verify_email_events)):
        body = json.dumps(payload).encode()
        message = ""
        try:
            verify(body, signed(body), secret=SECRET, now=NOW)  # type: ignore[operator]
        except MalformedPayloadError as exc:
            message = str(exc)
        assert not INTERNALS.search(message), message


EMAIL_FITTING = {
    "event": st.sampled_from(["open", "click", "machine_open"]),
    "timestamp": st.integers(0, 2_000_000_000),
    "category": st.lists(TEXT, max_size=2) | TEXT,
    "additional_data": st.sampled_from(["{'name':'John'}", '{"a": [1]}', "x"]),
    "asm_group_id": st.none() | st.integers(),
    "smtp-id": st.none() | TEXT,
    "email": TEXT,
    "unknown": VALUES,
}
SMS_FITTING = {
    "sms_id": TEXT | st.integers(),
    "status": st.sampled_from(["Delivered", "Queued", "Odd"]),
    "created_at": st.sampled_from(["2025-01-16 10:45:00", None]),
    "message": TEXT,
    "unknown": VALUES,
}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), cls=st.sampled_from([EmailEvent, SmsEvent]))
def test_reading_by_shape_gives_the_general_loops_event_or_error(
    data: st.DataObject, cls: type[object]
) -> None:
    """Events are read by code written per key set; for any event (keys in any order,
    some missing, at most one value of the wrong shape) it is the general loop's result."""
    fitting = EMAIL_FITTING if cls is EmailEvent else SMS_FITTING
    keys = data.draw(st.permutations(list(fitting)))
    keys = keys[: data.draw(st.integers(0, len(keys)))]
    event = {key: data.draw(fitting[key]) for key in keys}
    odd = data.draw(st.none() | st.sampled_from(keys or ["unknown"]))
    if odd is not None:
        event[odd] = data.draw(VALUES)
    for _ in range(2):  # the first reading of a key set writes its reader; the next uses it
        try:
            expected = _parse._GENERAL[cls](event, cls)
        except MalformedPayloadError as exc:
            error = str(exc)
        else:
            assert _parse._STRUCTURE[cls](event, cls) == expected
            continue
        with pytest.raises(MalformedPayloadError) as caught:
            _parse._STRUCTURE[cls](event, cls)
        assert str(caught.value) == error
