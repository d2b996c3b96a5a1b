"""The sandbox's world: accounts, the ledger of accepted sends, and delivery outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import Factory, define, field, frozen

from ..models import SmsStatus

__all__ = [
    "DEMO_FROM_NUMBER",
    "DEMO_SENDER",
    "DEMO_TOKEN",
    "Account",
    "Delivery",
    "SentEmail",
    "SentSms",
]

DEMO_TOKEN = "1000|sandbox-demo-token"
DEMO_FROM_NUMBER = "3152930000"
DEMO_SENDER = "demo@sandbox.easify.test"


@define(kw_only=True)
class Account:
    """One API user of the sandbox.

    Attributes:
        token: the Bearer token that identifies it.
        from_numbers: its Easify numbers, national (matching a ``from_number`` given
            national or with any supported country code) or E.164 (matching only its
            own country).
        senders: its verified sender addresses (``email/send``'s ``sender``, matched
            case-insensitively).
        sms_credits: SMS it can still pay for; each accepted SMS costs one.
        email_credits: emails it can still pay for; each accepted email costs one.
        enterprise: on the Enterprise plan (else every call is a 403).
        subscribed: subscription active (else every call is a 402).
        sms_webhook_url, email_webhook_url, webhook_secret: where signed status events go.
    """

    token: str
    from_numbers: set[str] = Factory(lambda: {DEMO_FROM_NUMBER})
    senders: set[str] = Factory(lambda: {DEMO_SENDER})
    sms_credits: int = 1_000_000
    email_credits: int = 1_000_000
    enterprise: bool = True
    subscribed: bool = True
    sms_webhook_url: str | None = None
    email_webhook_url: str | None = None
    webhook_secret: str = "sandbox-webhook-secret"


@frozen
class Delivery:
    """What happens to messages for one recipient: a final status after ``delay`` seconds."""

    status: SmsStatus = SmsStatus.DELIVERED
    delay: float = 0.0
    remarks: str = ""


@frozen(kw_only=True)
class SentSms:
    """An SMS the sandbox accepted (the ledger entry).

    ``from_number`` is the account's number as the account lists it, ``to_number`` the
    national number (formatting and trunk 0 removed), ``country_code`` as listed
    (``+1`` for a ``"1"`` the ``in:`` rule let through).
    """

    sms_id: str
    token: str
    from_number: str
    to_number: str
    country_code: str
    message: str | None
    media: str | None
    lead_id: str | None
    force_send: bool
    scheduled: bool
    accepted_at: float
    delivery: Delivery = field(eq=False)

    @property
    def receiver(self) -> str:
        """The recipient in E.164."""
        return f"{self.country_code}{self.to_number}"


@frozen(kw_only=True)
class SentEmail:
    """An email the sandbox accepted (the ledger entry); ``sender`` as the account lists it."""

    email_id: str
    token: str
    sender: str
    receiver: str
    subject: str
    message: str | None
    attachments: tuple[str, ...]
    enable_unsubscribe: bool
    schedule_time: str | None
    schedule_timezone: str | None
    additional_data: Any
    from_name: str | None
    accepted_at: float
    sent_on: dt.datetime = field(eq=False)
