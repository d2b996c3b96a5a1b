"""SMS: a send's reply, its status, the records of the report and chat history, templates."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from attrs import frozen

from .._open_enum import OpenStrEnum

__all__ = ["SmsRecord", "SmsSent", "SmsStatus", "SmsStatusInfo", "SmsTemplate"]


class SmsStatus(OpenStrEnum):
    """Delivery status of an SMS.

    A value the server sends that is not listed here is kept (``SmsStatus("Queued")``
    gives a member whose ``value`` is ``"Queued"``) rather than failing the call.

    Examples:
        >>> SmsStatus("Delivered").is_final
        True
        >>> SmsStatus("Queued").value
        'Queued'
    """

    PENDING = "Pending"
    DELIVERED = "Delivered"
    UNDELIVERED = "Undelivered"
    FAILED = "Failed"
    SUCCESS = "Success"
    SCHEDULED = "Scheduled"

    @property
    def is_final(self) -> bool:
        """True for the statuses that never change again: delivered, undelivered, failed."""
        return self in _FINAL


_FINAL = frozenset({SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED})


@frozen
class SmsSent:
    """The reply to ``sms.send``.

    Attributes:
        sms_id: the id to ask ``sms.status`` about (always a string).
        message: the server's message, e.g. ``"SMS Processed successfully."``.
    """

    sms_id: str
    message: str = ""

    # Its `message` is the reply envelope's (``HttpCore.call``); other models keep theirs.
    _envelope_message: ClassVar[bool] = True


@frozen
class SmsStatusInfo:
    """The reply to ``sms.status``.

    Attributes:
        status: the delivery status; unknown values are kept.
        remarks: the server's remarks, often empty.
    """

    status: SmsStatus
    remarks: str = ""


@frozen(kw_only=True)
class SmsRecord:
    """One SMS of ``sms.report`` or ``sms.chat_history``.

    The docs show the item only for the chat history; the report's is taken to be the
    same, and every field but ``id`` has a default in case a reply leaves it out.

    Attributes:
        id: the record's id.
        sender: E.164.
        receiver: E.164.
        message: the text.
        sms_type: ``"sms"`` or ``"mms"``.
        send_by: which side wrote it: ``"sender"`` (you) or ``"receiver"``.
        media_url: the MMS media, ``""`` if none.
        status: the delivery status; unknown values are kept.
        created_at: when it was sent.
        reason: why it failed, if it did.
    """

    id: int
    sender: str = ""
    receiver: str = ""
    message: str = ""
    sms_type: str = "sms"
    send_by: str = ""
    media_url: str | None = None
    status: SmsStatus | None = None
    created_at: dt.datetime | None = None
    reason: str | None = None


@frozen(kw_only=True)
class SmsTemplate:
    """An approved SMS template (``GET sms/templates``), for ``campaigns.send``.

    Attributes:
        id: what ``campaigns.send(template_ids=...)`` takes.
        group_name: its template group.
        name: its name.
        message: its text.
        sms_type: ``"sms"``.
        media_url: its media, ``""`` if none.
        created_at: when it was created.
    """

    id: int
    group_name: str = ""
    name: str = ""
    message: str = ""
    sms_type: str = "sms"
    media_url: str | None = None
    created_at: dt.datetime | None = None
