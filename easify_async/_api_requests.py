"""Request models of the list, number, template and campaign calls (validated values)."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from ._serde import converter

__all__ = [
    "CampaignIdQuery",
    "CampaignSendRequest",
    "ChatHistoryQuery",
    "ContactGroupCreate",
    "ContactGroupDelete",
    "ContactGroupUpdate",
    "ContactGroupsQuery",
    "ContactCreate",
    "ContactFields",
    "ContactDelete",
    "ContactUpdate",
    "ContactsQuery",
    "EmailV3SendRequest",
    "EmailV3StatusQuery",
    "NoQuery",
    "PhoneNumberUpdate",
    "SmsReportQuery",
    "SubUserQuery",
    "VoiceCallQuery",
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
    """``GET voice-call/history``; ``from_number`` goes as ``from``."""

    from_number: str | None = None
    to: list[str] | None = None
    from_date: str | None = None
    to_date: str | None = None
    public_call: bool | None = None
    include_subusers: bool | None = None
    order: str | None = None


def _voice_call_query(query: VoiceCallQuery) -> dict[str, Any]:
    fields: dict[str, Any] = _voice_call_fields(query)
    if "from_number" in fields:
        fields["from"] = fields.pop("from_number")
    # In a query string Laravel reads an array from indexed keys; httpx would repeat a
    # bare "to", of which PHP keeps only the last.
    for index, number in enumerate(fields.pop("to", None) or []):
        fields[f"to[{index}]"] = number
    return fields


_voice_call_fields = converter.get_unstructure_hook(VoiceCallQuery)
converter.register_unstructure_hook(VoiceCallQuery, _voice_call_query)


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
