"""Request models of the list, number, template and campaign calls (validated values)."""

from __future__ import annotations

from attrs import frozen

__all__ = [
    "CampaignIdQuery",
    "CampaignSendRequest",
    "ChatHistoryQuery",
    "NoQuery",
    "PhoneNumberUpdate",
    "SmsReportQuery",
]


@frozen
class NoQuery:
    """A list that takes nothing but the page and its size."""


@frozen(kw_only=True)
class SmsReportQuery:
    """``GET sms/report``: one query of at most 30 days."""

    from_date: str
    to_date: str
    order: str  # always sent: the split's walk order relies on it
    status: str | None = None
    sender: str | None = None
    receiver: str | None = None
    country_code: str | None = None


@frozen(kw_only=True)
class ChatHistoryQuery:
    """``GET sms/chat-history``."""

    sender: str
    receiver: str
    country_code: str


@frozen(kw_only=True)
class PhoneNumberUpdate:
    """``PATCH phone-numbers/update``."""

    phone_number_id: int
    webhook_url: str


@frozen(kw_only=True)
class CampaignSendRequest:
    """``POST sms/campaign/send`` fields; the recipients CSV travels as the upload."""

    campaign_name: str
    from_numbers: list[str]  # multipart: repeated "from_numbers[]" fields
    template_ids: list[int]  # multipart: repeated "template_ids[]" fields
    schedule_time: str | None = None
    schedule_timezone: str | None = None


@frozen(kw_only=True)
class CampaignIdQuery:
    """``GET sms/campaign/status`` and ``sms/campaign/items``."""

    campaign_id: int
