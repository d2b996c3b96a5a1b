"""Campaigns: a send's reply, a campaign's status and counts, its items."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from attrs import frozen

from .._open_enum import OpenStrEnum
from .sms import SmsStatus

__all__ = ["CampaignItem", "CampaignSent", "CampaignStatus", "CampaignStatusInfo"]


class CampaignStatus(OpenStrEnum):
    """Where a campaign is; a value the docs do not list is kept, not refused.

    Examples:
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
