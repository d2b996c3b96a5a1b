"""Typed webhook events: one SMS status event, and email events that come in batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import Factory, frozen

from .._open_enum import OpenStrEnum
from ..models import SmsStatus

__all__ = ["EmailEvent", "EmailEventKind", "SmsEvent"]


class EmailEventKind(OpenStrEnum):
    """What happened to an email (SendGrid's event names); unknown kinds are kept."""

    PROCESSED = "processed"
    DEFERRED = "deferred"
    DELIVERED = "delivered"
    OPEN = "open"
    CLICK = "click"
    BOUNCE = "bounce"
    DROPPED = "dropped"
    SPAMREPORT = "spamreport"
    UNSUBSCRIBE = "unsubscribe"
    GROUP_UNSUBSCRIBE = "group_unsubscribe"
    GROUP_RESUBSCRIBE = "group_resubscribe"


@frozen(kw_only=True)
class SmsEvent:
    """An SMS status change, as POSTed to the SMS webhook URL.

    Attributes:
        created_at: when the event was made, naive: the API names no zone (see the
            webhook guide on how replays are refused with it).
        extra: keys the documentation does not list, kept as sent.
    """

    sms_id: str
    status: SmsStatus
    sender: str = ""
    receiver: str = ""
    sms_type: str = ""
    message: str = ""
    media_url: str = ""
    remarks: str = ""
    created_at: dt.datetime | None = None
    extra: dict[str, Any] = Factory(dict)


@frozen(kw_only=True)
class EmailEvent:
    """One event of an email webhook batch.

    Attributes:
        event: the kind; per-kind fields are ``None`` where the kind has none.
        additional_data: what was sent with the email, decoded to a dict where
            possible (JSON or the single-quoted form Easify sends), else the raw text.
        timestamp: when it happened, an aware UTC datetime.
        extra: keys the documentation does not list, kept as sent.
    """

    event: EmailEventKind
    email: str = ""
    email_id: str | None = None
    email_item_id: str | None = None
    timestamp: dt.datetime | None = None
    smtp_id: str | None = None
    sg_event_id: str | None = None
    sg_message_id: str | None = None
    category: list[str] = Factory(list)
    additional_data: dict[str, Any] | str | None = None
    response: str | None = None
    attempt: str | None = None
    useragent: str | None = None
    ip: str | None = None
    url: str | None = None
    reason: str | None = None
    status: str | None = None
    asm_group_id: int | None = None
    extra: dict[str, Any] = Factory(dict)
