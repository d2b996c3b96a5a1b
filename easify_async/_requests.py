"""Request models: the API's fields of each route as attrs values, validated and
normalised by the endpoint methods before they are built.

Each is the ``request`` column of its row in the route table (`easify_async._routes`);
`easify_async._encoding` turns one into what httpx sends (rule 4 of `easify_async._serde`).
A field sent under another key than its name says so in its metadata (`API_KEY`).
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

__all__ = [
    "API_KEY",
    "CampaignIdQuery",
    "CampaignSendRequest",
    "ChatHistoryQuery",
    "ContactCreate",
    "ContactDelete",
    "ContactFields",
    "ContactGroupCreate",
    "ContactGroupDelete",
    "ContactGroupUpdate",
    "ContactGroupsQuery",
    "ContactUpdate",
    "ContactsQuery",
    "EmailSendRequest",
    "EmailV3SendRequest",
    "EmailV3StatusQuery",
    "NoQuery",
    "PhoneNumberUpdate",
    "SmsReportQuery",
    "SmsSendRequest",
    "SmsStatusRequest",
    "SubUserQuery",
    "VoiceCallQuery",
]

#: Metadata key of a field sent under another name than its attribute's.
API_KEY = "easify.api_key"


@frozen(kw_only=True)
class SmsSendRequest:
    """``POST sms/send`` fields, already validated and normalised."""

    from_number: str
    to_number: str
    country_code: str
    message: str | None = None
    media: str | None = None  # a URL; an uploaded file travels separately
    lead_id: str | None = None
    force_send: bool = False


@frozen(kw_only=True)
class SmsStatusRequest:
    """``GET sms/status`` query."""

    sms_id: str


@frozen(kw_only=True)
class EmailSendRequest:
    """``POST email/send`` (v2) fields, already validated and normalised."""

    sender: str
    receiver: str
    subject: str
    message: str | None = None
    attachment: str | None = None  # a URL; uploaded files travel separately
    enable_unsubscribe: bool = False
    schedule_time: str | None = None
    schedule_timezone: str | None = None
    additional_data: dict[str, Any] | None = None
    from_name: str | None = None


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


@frozen(kw_only=True)
class EmailV3SendRequest:
    """``POST email/send`` (v3) fields, already validated and normalised."""

    sender: str
    receiver: list[str]  # multipart: repeated "receiver[]" fields
    subject: str
    cc: list[str] | None = None
    bcc: list[str] | None = None
    message: str | None = None
    attachment: str | None = None  # a URL; uploaded files travel separately
    additional_data: dict[str, Any] | None = None
    from_name: str | None = None


@frozen(kw_only=True)
class EmailV3StatusQuery:
    """``GET email/status`` (v3)."""

    email_id: str
    receiver: str | None = None


@frozen(kw_only=True)
class VoiceCallQuery:
    """``GET voice-call/history``; ``from_number`` goes as ``from`` (a Python keyword)."""

    from_number: str | None = field(default=None, metadata={API_KEY: "from"})
    to: list[str] | None = None
    from_date: str | None = None
    to_date: str | None = None
    public_call: bool | None = None
    include_subusers: bool | None = None
    order: str | None = None


@frozen(kw_only=True)
class SubUserQuery:
    """``GET sub-user/tokens``."""

    email: str | None = None


@frozen(kw_only=True)
class ContactGroupsQuery:
    """``GET contact-groups``."""

    order: str


@frozen(kw_only=True)
class ContactGroupCreate:
    """``POST contact-groups/create``."""

    name: str


@frozen(kw_only=True)
class ContactGroupUpdate:
    """``PATCH contact-groups/update``."""

    group_id: int
    name: str


@frozen(kw_only=True)
class ContactGroupDelete:
    """``DELETE contact-groups/delete``."""

    group_id: int


@frozen(kw_only=True)
class ContactsQuery:
    """``GET contacts``."""

    order: str
    group_id: int | None = None


@frozen(kw_only=True)
class ContactFields:
    """A contact's own fields, validated (phone national + code): what create and update
    share."""

    first_name: str
    last_name: str | None = None
    phone_number: str | None = None
    country_code: str | None = None
    email_address: str | None = None
    company: str | None = None
    additional_1: str | None = None
    additional_2: str | None = None
    additional_3: str | None = None


@frozen(kw_only=True)
class ContactUpdate(ContactFields):
    """``PATCH contacts/update``: the fields of one contact."""

    contact_id: int


@frozen(kw_only=True)
class ContactCreate(ContactFields):
    """``POST contacts/create``: the same fields, in a group."""

    group_id: int


@frozen(kw_only=True)
class ContactDelete:
    """``DELETE contacts/delete``."""

    contact_id: int
