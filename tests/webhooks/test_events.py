"""Typed events: every documented email kind, SMS events, odd fields kept."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from easify_async.webhooks import (
    EmailEventKind,
    MalformedPayloadError,
    sign,
    verify_email_events,
    verify_sms_event,
)

# The email page's sample batch, copied as published (masked values and all): the suite
# reads nothing outside the repository.
DOCS_SAMPLE = Path(__file__).with_name("data") / "email-events-sample.txt"
NOW = 1_734_081_000


def docs_batch() -> list[dict[str, object]]:
    """The email page's sample batch, its masked values made valid JSON."""
    sample = DOCS_SAMPLE.read_text()
    sample = re.sub(r"1734081\*\*\*", str(NOW), sample)
    sample = re.sub(r'"asm_group_id": 1\*', '"asm_group_id": 1', sample)
    return json.loads(sample)  # type: ignore[no-any-return]


def headers_for(payload: object) -> dict[str, str]:
    return {"X-Easify-Signature": sign(payload, secret="s"), "X-Easify-Timestamp": str(NOW)}


def test_every_kind_in_the_docs_sample_parses_with_its_fields() -> None:
    """The 11 documented kinds, in order, each with its own fields typed."""
    batch = docs_batch()
    events = verify_email_events(json.dumps(batch), headers_for(batch), secret="s", now=NOW)
    assert [e.event for e in events] == list(EmailEventKind)
    assert all(e.event.is_known for e in events)
    by_kind = {e.event: e for e in events}
    processed = by_kind[EmailEventKind.PROCESSED]
    assert processed.additional_data == {"name": "John", "id": "232"}
    assert processed.smtp_id == "<14c5d75ce93.dfd.64b469@ismtpd-***>"
    assert processed.category == ["cat facts"]
    assert processed.timestamp == dt.datetime.fromtimestamp(NOW, dt.timezone.utc)
    assert processed.email_item_id == "675bd3446c684a55a308****"
    assert (
        by_kind[EmailEventKind.DEFERRED].response,
        by_kind[EmailEventKind.DEFERRED].attempt,
    ) == ("400 try again later", "5")
    assert by_kind[EmailEventKind.DELIVERED].response == "250 OK"
    assert by_kind[EmailEventKind.OPEN].ip == "255.255.255.***"
    assert by_kind[EmailEventKind.CLICK].url == "http://www.sendgrid.com/"
    assert (by_kind[EmailEventKind.BOUNCE].reason, by_kind[EmailEventKind.BOUNCE].status) == (
        "500 unknown recipient",
        "5.0.*",
    )
    assert by_kind[EmailEventKind.GROUP_RESUBSCRIBE].asm_group_id == 1
    assert all(e.extra == {} for e in events)


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        pytest.param(
            "{'name':'John','id':'232'}", {"name": "John", "id": "232"}, id="single-quoted"
        ),
        pytest.param('{"a": [1, {"b": null}]}', {"a": [1, {"b": None}]}, id="json"),
        pytest.param({"already": "a dict"}, {"already": "a dict"}, id="object"),
        pytest.param("order-42", "order-42", id="plain-text-kept"),
        pytest.param("__import__('os')", "__import__('os')", id="code-is-not-run"),
        pytest.param("", "", id="empty"),
        pytest.param(' {"a": 1} ', {"a": 1}, id="json-with-spaces-around"),
        pytest.param("{'who':\"O'Brien\"}", {"who": "O'Brien"}, id="apostrophe-in-value"),
        pytest.param("{'a':'x\\'y'}", {"a": "x'y"}, id="escaped-quote-not-swapped"),
        pytest.param("{'ok':True,'n':None}", {"ok": True, "n": None}, id="python-literals"),
        pytest.param("{'a':{'b':[1,'/']}}", {"a": {"b": [1, "/"]}}, id="nested"),
        pytest.param("{1:'a'}", "{1:'a'}", id="non-text-keys-kept-raw"),
        pytest.param("[1, 2]", "[1, 2]", id="a-list-kept-raw"),
        pytest.param("{'a':" * 200, "{'a':" * 200, id="unclosed-kept-raw"),
        pytest.param(42, "42", id="number-kept-as-text"),
    ],
)
def test_additional_data_is_decoded_where_it_can_be(raw: object, decoded: object) -> None:
    """JSON or Easify's single-quoted form become a dict; anything else stays raw."""
    batch = [{"event": "processed", "timestamp": NOW, "additional_data": raw}]
    [event] = verify_email_events(json.dumps(batch), headers_for(batch), secret="s", now=NOW)
    assert event.additional_data == decoded


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{'name':'John','id':'232'}", id="flat"),
        pytest.param('{"user": {"name": "John"}, "tags": ["a"]}', id="nested"),
    ],
)
def test_events_sharing_additional_data_each_get_their_own(raw: str) -> None:
    """A batch's events of one email carry the same text: changing one event's decoded
    data (or a dict or list inside it) leaves every other event's as it was."""
    batch = [
        {"event": kind, "timestamp": NOW, "additional_data": raw} for kind in ("open", "click")
    ]
    for _ in range(2):  # a second delivery of the same text, too
        first, second = verify_email_events(
            json.dumps(batch), headers_for(batch), secret="s", now=NOW
        )
        assert isinstance(first.additional_data, dict)
        assert first.additional_data == second.additional_data
        expected = copy.deepcopy(second.additional_data)
        for value in first.additional_data.values():
            if isinstance(value, (dict, list)):
                value.clear()
        first.additional_data.clear()
        assert second.additional_data == expected


def test_unknown_kinds_statuses_and_keys_are_kept() -> None:
    """A new event kind, a new SMS status and undocumented keys come through, not errors."""
    batch = [{"event": "machine_open", "timestamp": NOW, "sg_event_id": "x", "new": {"k": 1}}]
    [event] = verify_email_events(json.dumps(batch), headers_for(batch), secret="s", now=NOW)
    assert event.event.value == "machine_open"
    assert not event.event.is_known
    assert event.extra == {"new": {"k": 1}}
    sms = {"sms_id": 7, "status": "Queued", "created_at": "2025-01-16 10:45:00", "carrier": "X"}
    parsed = verify_sms_event(json.dumps(sms), headers_for(sms), secret="s", now=NOW)
    assert (parsed.sms_id, parsed.status.value, parsed.extra) == ("7", "Queued", {"carrier": "X"})
    assert parsed.created_at == dt.datetime(2025, 1, 16, 10, 45)


@pytest.mark.parametrize(
    "created_at",
    [
        pytest.param("16-01-2025 10:45:00", id="day-first"),
        pytest.param("2025-01-16T10:45:00", id="iso-t"),
        pytest.param("2025-W03-4 10:45:00", id="iso-week-date"),
        pytest.param("2025-01-16 10:45", id="no-seconds"),
    ],
)
def test_sms_created_at_only_in_the_documented_format(created_at: str) -> None:
    """created_at is YYYY-MM-DD HH:MM:SS; anything else is a malformed event."""
    sms = {"sms_id": "1", "status": "Delivered", "created_at": created_at}
    with pytest.raises(MalformedPayloadError):
        verify_sms_event(json.dumps(sms), headers_for(sms), secret="s", now=NOW)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({"timestamp": NOW}, id="no-kind"),
        pytest.param({"event": "open", "timestamp": 10**20}, id="timestamp-overflow"),
        pytest.param({"event": "open", "timestamp": 10**400}, id="timestamp-beyond-a-float"),
        pytest.param({"event": "open", "category": {"a": 1}}, id="category-an-object"),
        pytest.param({"event": "open", "email": None}, id="email-null"),
        pytest.param({"event": "open", "asm_group_id": "one"}, id="group-not-a-number"),
        pytest.param("open", id="not-an-object"),
    ],
)
def test_a_malformed_email_event_fails_the_batch(event: object) -> None:
    """A signed batch with an event of the wrong shape is MalformedPayloadError, not a 500."""
    batch = [{"event": "delivered", "timestamp": NOW}, event]
    with pytest.raises(MalformedPayloadError):
        verify_email_events(json.dumps(batch), headers_for(batch), secret="s", now=NOW)
