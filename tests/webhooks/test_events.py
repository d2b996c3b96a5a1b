"""Typed events: every documented email kind, SMS events, odd fields kept, replays dropped."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from easify_async import SmsStatus
from easify_async.webhooks import (
    EmailEventKind,
    MemoryReplayGuard,
    StatusTracker,
    sign,
    verify_email_events,
    verify_sms_event,
)

DOCS = Path(__file__).parents[3] / "shared" / "spec" / "docs" / "email-send.txt"
NOW = 1_734_081_000


def docs_batch() -> list[dict[str, object]]:
    """The email page's sample batch, its masked values made valid JSON."""
    text = DOCS.read_text()
    start = text.index("[\n  {")
    sample = text[start : text.index("]\n", start) + 1]
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
    ],
)
def test_additional_data_is_decoded_where_it_can_be(raw: object, decoded: object) -> None:
    """JSON or Easify's single-quoted form become a dict; anything else stays raw."""
    batch = [{"event": "processed", "timestamp": NOW, "additional_data": raw}]
    [event] = verify_email_events(json.dumps(batch), headers_for(batch), secret="s", now=NOW)
    assert event.additional_data == decoded


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


def test_the_replay_guard_remembers_for_its_ttl() -> None:
    """A key is new once; after its ttl it is new again; the store stays bounded."""
    now = [0.0]
    guard = MemoryReplayGuard(max_entries=3, clock=lambda: now[0])
    assert guard.first_time("a", ttl=10)
    assert not guard.first_time("a", ttl=10)
    now[0] = 10.5
    assert guard.first_time("a", ttl=10)
    for key in "bcde":
        guard.first_time(key, ttl=100)
    assert guard.first_time("b", ttl=100)  # evicted as the oldest beyond max_entries


def test_the_status_tracker_never_goes_backwards() -> None:
    """Out of order: a late Pending or Success never replaces Delivered."""
    tracker = StatusTracker()
    assert tracker.update("1", SmsStatus.PENDING) is SmsStatus.PENDING
    assert tracker.update("1", SmsStatus.DELIVERED) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.PENDING) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.SUCCESS) is SmsStatus.DELIVERED
    assert tracker.update("1", SmsStatus.FAILED) is SmsStatus.DELIVERED
    assert tracker.update("2", SmsStatus("Queued")).value == "Queued"
    assert tracker.update("2", SmsStatus.UNDELIVERED) is SmsStatus.UNDELIVERED
    assert tracker.get("3") is None
