"""Typed results of the list, number, template and campaign calls.

Loaded on first use (``easify_async.models`` and the package forward to it), so that
importing the package stays cheap. Times in these replies are the API's
``MM-DD-YYYY hh:mm:ss AM`` text, read as naive `datetime` values in the account's time
zone (the API names none); a time that is missing, empty or cannot be read is ``None``
rather than failing the whole call or page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from attrs import field, frozen

from ._open_enum import OpenStrEnum
from ._serde import register_reply_models, register_with_extra
from .models import SmsStatus

__all__ = [
    "CampaignItem",
    "CampaignSent",
    "CampaignStatus",
    "CampaignStatusInfo",
    "Contact",
    "ContactGroup",
    "EmailRecipientStatus",
    "EmailSender",
    "EmailStatus",
    "PhoneNumber",
    "RecipientType",
    "SmsRecord",
    "SmsTemplate",
    "SubUser",
    "VoiceCall",
]


@frozen(kw_only=True)
class PhoneNumber:
    """One of the account's active, approved Easify numbers (``GET phone-numbers``).

    Attributes:
        id: what ``phone_numbers.update_webhook`` takes.
        number: E.164, e.g. ``"+13152930000"``.
        approved: ``"Approved"``.
        gateway: e.g. ``"Twilio"``, ``"Easify SMS Gateway"``.
        name: the number's name in the web app.
        status: ``"Active"``.
        webhook_url: where incoming SMS on this number are posted, if set.
        created_at: when it was added.
    """

    id: int
    number: str
    approved: str = ""
    gateway: str = ""
    name: str = ""
    status: str = ""
    webhook_url: str | None = None
    created_at: dt.datetime | None = None


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


class CampaignStatus(OpenStrEnum):
    """Where a campaign is; a value the docs do not list is kept, not refused.

    Example:
        >>> CampaignStatus("Hold").is_final
        False
        >>> CampaignStatus("Completed").is_final
        True
    """

    PREPARING = "Preparing"
    PROCESSING = "Processing"
    RUNNING = "Running"
    HOLD = "Hold"  # out of credits or paused in the web app: it may resume
    CANCELLED = "Cancelled"
    COMPLETED = "Completed"

    @property
    def is_final(self) -> bool:
        """True for the statuses a campaign never leaves: completed and cancelled."""
        return self in _FINAL


_FINAL = frozenset({CampaignStatus.COMPLETED, CampaignStatus.CANCELLED})


@frozen(kw_only=True)
class CampaignSent:
    """The reply to ``campaigns.send``.

    Attributes:
        campaign_id: what ``campaigns.status`` and ``campaigns.items`` take.
        recipients_in_file: rows read from the CSV.
        valid_recipients: rows that will get a message.
        invalid_recipients: rows refused.
        message: the server's message.
    """

    campaign_id: int
    recipients_in_file: int = 0
    valid_recipients: int = 0
    invalid_recipients: int = 0
    message: str = ""

    # Its `message` is the reply envelope's (``HttpCore.call``); other models keep theirs.
    _envelope_message: ClassVar[bool] = True


@frozen(kw_only=True)
class CampaignStatusInfo:
    """The reply to ``campaigns.status``: where the campaign is, and its counts.

    Attributes:
        campaign_id: the campaign.
        status: its `CampaignStatus`.
        campaign_name: its name.
        total_recipients_count: valid recipients.
        pending_count: not sent yet.
        running_count: being sent.
        hold_count: held (see `CampaignStatus.HOLD`).
        success_count: sent.
        failed_count: failed.
        cancelled_count: cancelled.
        estimated_credits: credits the campaign is expected to cost.
        credits_spent: credits spent so far (the API's ``credits_spend``).
        url_shortening_estimated_credits: expected cost of shortened URLs.
        url_shortening_credits_spent: spent on shortened URLs so far.
        scheduled_at: when it is scheduled to start, if it is.
        scheduled_timezone: the zone of ``scheduled_at``.
        remarks: the server's remarks.
        completed_at: when it completed.
        cancelled_at: when it was cancelled.
        created_at: when it was sent.
    """

    campaign_id: int
    status: CampaignStatus
    campaign_name: str = ""
    total_recipients_count: int = 0
    pending_count: int = 0
    running_count: int = 0
    hold_count: int = 0
    success_count: int = 0
    failed_count: int = 0
    cancelled_count: int = 0
    estimated_credits: int = 0
    credits_spent: int = 0
    url_shortening_estimated_credits: int = 0
    url_shortening_credits_spent: int = 0
    scheduled_at: dt.datetime | None = None
    scheduled_timezone: str | None = None
    remarks: str | None = None
    completed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    created_at: dt.datetime | None = None

    @property
    def done_count(self) -> int:
        """Recipients the campaign is finished with: succeeded, failed or cancelled."""
        return self.success_count + self.failed_count + self.cancelled_count

    def describe(self) -> str:
        """One line of status and counts, e.g. for a log or a timeout message."""
        return (
            f"{self.status.value}: {self.done_count}/{self.total_recipients_count} done "
            f"(success {self.success_count}, failed {self.failed_count}, "
            f"cancelled {self.cancelled_count}, pending {self.pending_count}, "
            f"running {self.running_count}, hold {self.hold_count})"
        )


@frozen(kw_only=True)
class CampaignItem:
    """One recipient's message of a campaign (``GET sms/campaign/items``).

    Attributes:
        id: the item's id.
        campaign_id: its campaign.
        sender: E.164.
        receiver: E.164.
        message: the text sent.
        credits: credits it cost.
        url_shortening_credits: credits its shortened URLs cost.
        media_url: its media, if any.
        remarks: the server's remarks.
        status: its delivery status; unknown values are kept.
        scheduled_at: when it is scheduled, if it is.
        scheduled_timezone: the zone of ``scheduled_at``.
        sms_type: ``"sms"``.
        created_at: when it was created.
    """

    id: int
    campaign_id: int
    sender: str = ""
    receiver: str = ""
    message: str = ""
    credits: int = 0
    url_shortening_credits: int = 0
    media_url: str | None = None
    remarks: str | None = None
    status: SmsStatus | None = None
    scheduled_at: dt.datetime | None = None
    scheduled_timezone: str | None = None
    sms_type: str = "sms"
    created_at: dt.datetime | None = None


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


@frozen(kw_only=True)
class VoiceCall:
    """One call of ``voice_calls.history``.

    The docs show only the item's ``id`` (a string); the fields the page describes in
    words ("from, to, status, recording URL") are typed here under those names, every
    other field the server sends is kept as it came in ``extra``.

    Attributes:
        id: the call's id (text).
        from_number: the caller (the API's ``from``), E.164.
        to_number: the called number (the API's ``to``).
        status: the call's status, as the server writes it.
        recording_url: its recording, if any.
        created_at: when it took place.
        extra: every other field of the item, unchanged.
    """

    id: str
    from_number: str | None = None
    to_number: str | None = None
    status: str | None = None
    recording_url: str | None = None
    created_at: dt.datetime | None = None
    extra: Mapping[str, Any] = field(factory=dict)


@frozen(kw_only=True)
class SubUser:
    """A sub-user of the main account, with its API token (``GET sub-user/tokens``).

    The token is a secret: it never shows in ``repr`` (hence in logs and tracebacks).
    Act as the sub-user with ``easify.with_options(api_token=sub.easify_api_token)``.

    Attributes:
        email: the sub-user's address.
        name: its name.
        easify_api_token: its API token.
    """

    email: str
    name: str = ""
    easify_api_token: str = field(default="", repr=False)


@frozen(kw_only=True)
class ContactGroup:
    """A contact group of the account, or the main user's shared one (``GET contact-groups``).

    Attributes:
        id: what ``contact_groups.update``/``delete`` and ``contacts.create`` take.
        name: its name (kept as the server sends it, trailing spaces included).
        contacts_count: how many contacts it holds.
        shared_group: whether it is the main user's shared group.
        default_group: whether it is the account's default group (never deletable).
        created_at: when it was created.
    """

    id: int
    name: str
    contacts_count: int = 0
    shared_group: bool = False
    default_group: bool = False
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class Contact:
    """A contact of the account, or of the main user's shared group (``GET contacts``).

    Attributes:
        id: what ``contacts.update``/``delete`` take.
        group_name: the name of its group.
        first_name: its first name.
        last_name: its last name, if any.
        phone_number: E.164, if any.
        email_address: its address, if any.
        company: its company, if any.
        additional_1: a custom field.
        additional_2: a custom field.
        additional_3: a custom field.
        shared_contact: whether it is in the main user's shared group.
        created_at: when it was created.
        updated_at: when it last changed.
    """

    id: int
    first_name: str = ""
    group_name: str = ""
    last_name: str | None = None
    phone_number: str | None = None
    email_address: str | None = None
    company: str | None = None
    additional_1: str | None = None
    additional_2: str | None = None
    additional_3: str | None = None
    shared_contact: bool = False
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@frozen(kw_only=True)
class Acknowledged:
    """The reply of a call that returns no data (a delete): only its message."""

    message: str = ""

    # Its `message` is the reply envelope's (``HttpCore.call``); other models keep theirs.
    _envelope_message: ClassVar[bool] = True


register_with_extra(VoiceCall, from_number="from", to_number="to")


register_reply_models(
    PhoneNumber,
    SmsRecord,
    SmsTemplate,
    CampaignSent,
    CampaignStatusInfo,
    CampaignItem,
    EmailSender,
    EmailRecipientStatus,
    SubUser,
    ContactGroup,
    Contact,
    Acknowledged,
    renames={"credits_spent": "credits_spend"},  # the docs' (and the API's) spelling
)
