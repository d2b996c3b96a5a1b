"""Typed results of the API calls: frozen attrs values, built by the one converter."""

from __future__ import annotations

import enum

from attrs import frozen

__all__ = ["EmailSent", "SmsSent", "SmsStatus", "SmsStatusInfo"]


class SmsStatus(str, enum.Enum):
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

    @classmethod
    def _missing_(cls, value: object) -> SmsStatus | None:
        if not isinstance(value, str):
            return None
        # Enum lets _missing_ hand back a pseudo-member; caching it keeps identity stable.
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]

    @property
    def is_final(self) -> bool:
        """True for the statuses that never change again: delivered, undelivered, failed."""
        return self in _FINAL

    @property
    def is_known(self) -> bool:
        """False for a value the API documentation does not list."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return self.value


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
