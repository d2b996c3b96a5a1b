"""Email: a send's reply (v2 and v3), the account's senders, a v3 email's recipients."""

from __future__ import annotations

from typing import ClassVar

from attrs import frozen

from .._open_enum import OpenStrEnum

__all__ = ["EmailRecipientStatus", "EmailSender", "EmailSent", "EmailStatus", "RecipientType"]


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


@frozen(kw_only=True)
class EmailSender:
    """An active, verified sender of the account (``GET email/senders``).

    Attributes:
        id: its id.
        from_email: the address, what ``email.send(sender=...)`` takes.
        from_name: the name shown by default.
        signature: its signature, if set.
        footer: its footer, if set.
    """

    id: int
    from_email: str
    from_name: str = ""
    signature: str | None = None
    footer: str | None = None


class RecipientType(OpenStrEnum):
    """How a v3 email reached a recipient; a value the docs do not list is kept."""

    TO = "to"
    CC = "cc"
    BCC = "bcc"


class EmailStatus(OpenStrEnum):
    """A v3 email recipient's status; the docs show only ``Success``, so every other value
    the server sends is kept as a member of its own rather than refused."""

    SUCCESS = "Success"


@frozen(kw_only=True)
class EmailRecipientStatus:
    """One recipient of a v3 email (``GET email/status`` on v3).

    Attributes:
        email_item_id: the recipient's own item id.
        email_id: the email's id, as text (the API sends an int here, a string in send).
        receiver: the address.
        recipient_type: ``to``, ``cc`` or ``bcc``.
        status: its `EmailStatus`.
        remarks: the server's remarks.
    """

    email_item_id: str
    email_id: str
    receiver: str
    recipient_type: RecipientType
    status: EmailStatus
    remarks: str = ""
