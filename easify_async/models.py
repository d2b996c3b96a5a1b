"""Typed results of the API calls: frozen attrs values, built by the one converter."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from attrs import frozen

from ._lazy import lazy_names
from ._open_enum import OpenStrEnum

if TYPE_CHECKING:
    from ._api_models import (
        CampaignItem,
        CampaignSent,
        CampaignStatus,
        CampaignStatusInfo,
        Contact,
        ContactGroup,
        EmailRecipientStatus,
        EmailSender,
        EmailStatus,
        PhoneNumber,
        RecipientType,
        SmsRecord,
        SmsTemplate,
        SubUser,
        VoiceCall,
    )

__all__ = [
    "CampaignItem",
    "CampaignSent",
    "CampaignStatus",
    "CampaignStatusInfo",
    "Contact",
    "ContactGroup",
    "EmailRecipientStatus",
    "EmailSender",
    "EmailSent",
    "EmailStatus",
    "PhoneNumber",
    "RecipientType",
    "SmsRecord",
    "SmsSent",
    "SmsStatus",
    "SmsStatusInfo",
    "SmsTemplate",
    "SubUser",
    "VoiceCall",
]
# Defined in _api_models, loaded on first use so that importing the package stays cheap.
_LAZY = frozenset(__all__) - {"EmailSent", "SmsSent", "SmsStatus", "SmsStatusInfo"}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(globals(), dict.fromkeys(_LAZY, "._api_models"))


class SmsStatus(OpenStrEnum):
    """Delivery status of an SMS.

    A value the server sends that is not listed here is kept (``SmsStatus("Queued")``
    gives a member whose ``value`` is ``"Queued"``) rather than failing the call.

    Example:
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


@frozen
class EmailSent:
    """The reply to ``email.send``.

    Attributes:
        email_id: the email's id (always a string).
        message: the server's message, e.g. ``"Email processed successfully"``.
    """

    email_id: str
    message: str = ""

    # Its `message` is the reply envelope's (``HttpCore.call``); other models keep theirs.
    _envelope_message: ClassVar[bool] = True
