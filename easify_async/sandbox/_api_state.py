"""The sandbox's numbers, templates, seeded SMS history and campaigns."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re

from attrs import Factory, define, field, frozen

__all__ = ["API_TIME_FORMAT", "ApiState", "Campaign", "HistoryRecord", "NumberRecord", "Template"]

#: How the API writes times in replies: ``07-12-2024 11:03:12 AM``.
API_TIME_FORMAT = "%m-%d-%Y %I:%M:%S %p"
_GATEWAYS = ("Twilio", "Easify SMS Gateway")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_ ]+)\}")


@define(kw_only=True)
class NumberRecord:
    """One of an account's Easify numbers, as ``GET phone-numbers`` lists it."""

    id: int
    number: str  # E.164
    gateway: str
    name: str
    created_at: dt.datetime
    webhook_url: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "approved": "Approved",
            "gateway": self.gateway,
            "name": self.name,
            "status": "Active",
            "webhook_url": self.webhook_url,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
        }


@frozen(kw_only=True)
class Template:
    """An approved SMS template."""

    id: int
    group_name: str
    name: str
    message: str
    created_at: dt.datetime
    media_url: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "group_name": self.group_name,
            "name": self.name,
            "message": self.message,
            "sms_type": "mms" if self.media_url else "sms",
            "media_url": self.media_url,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
        }


@frozen(kw_only=True)
class HistoryRecord:
    """One SMS of an account's history (``sms/report``, ``sms/chat-history``)."""

    id: int
    sender: str  # E.164, the account's number
    receiver: str  # E.164
    message: str
    status: str
    created_at: dt.datetime
    send_by: str = "sender"
    media_url: str = ""
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "sender": self.sender,
            "receiver": self.receiver,
            "message": self.message,
            "sms_type": "mms" if self.media_url else "sms",
            "send_by": self.send_by,
            "media_url": self.media_url,
            "status": self.status,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
            "reason": self.reason,
        }


@define(kw_only=True)
class Campaign:
    """A campaign that progresses with the sandbox's clock.

    The states the docs name, in their order: ``Preparing`` (its file is read) until
    ``processing_at``, ``Processing`` (queued, waiting for its start or schedule) until
    ``starts_at``, then it sends ``rate`` messages a second (``Running``) until every
    recipient is done (``Completed``). `ApiState.hold` pauses it (``Hold``) and
    `ApiState.resume` carries on. The docs write the queued state as
    ``Preparing/Processing``: reading it as two states in that order is the sandbox's.
    """

    id: int
    token: str
    name: str
    from_numbers: list[str]
    messages: list[str]
    recipients: list[str]
    recipients_in_file: int
    created_at: dt.datetime
    sent_at: float  # the sandbox clock at the send
    starts_at: float
    rate: float
    schedule_time: str | None = None
    schedule_timezone: str | None = None
    values: list[dict[str, str]] = Factory(list)  # each recipient's row of the file
    processing_at: float | None = None  # None: no Preparing state (seeded)
    failing: dict[str, str] = Factory(dict)  # recipient -> remarks of its failure
    held: bool = False
    remarks: str = ""
    done_before: int = 0  # recipients done when last held
    resumed_at: float | None = None

    def done(self, now: float) -> int:
        """Recipients processed by ``now``."""
        if self.held or now < self.starts_at:
            return self.done_before
        since = max(self.starts_at, self.resumed_at or self.starts_at)
        return min(len(self.recipients), self.done_before + math.floor((now - since) * self.rate))

    def status(self, now: float) -> str:
        if self.held:
            return "Hold"
        if self.processing_at is not None and now < self.processing_at:
            return "Preparing"
        if now < self.starts_at:
            return "Processing"
        return "Completed" if self.done(now) >= len(self.recipients) else "Running"

    def message_for(self, index: int) -> str:
        """The text recipient ``index`` gets: the templates in turn, ``{column}``
        placeholders filled from its row of the recipients file."""
        message = self.messages[index % len(self.messages)]
        row = self.values[index] if index < len(self.values) else {}
        return _PLACEHOLDER.sub(
            lambda m: row.get(m.group(1).strip().lower().replace(" ", "_"), m.group(0)), message
        )

    def finished_at(self) -> float:
        """The clock time its last recipient is done, if nothing holds it again."""
        since = max(self.starts_at, self.resumed_at or self.starts_at)
        return since + (len(self.recipients) - self.done_before) / self.rate


@define
class ApiState:
    """What the list and campaign endpoints serve, per account token.

    Attributes:
        campaign_rate: messages a second a running campaign sends.
        campaign_prepare: seconds a campaign stays ``Preparing``.
    """

    campaign_rate: float = 10.0
    campaign_prepare: float = 1.0
    numbers: dict[str, list[NumberRecord]] = Factory(dict)
    templates: dict[str, list[Template]] = Factory(dict)
    history: dict[str, list[HistoryRecord]] = Factory(dict)
    campaigns: dict[int, Campaign] = Factory(dict)
    _number_ids: itertools.count[int] = field(factory=lambda: itertools.count(101))
    _campaign_ids: itertools.count[int] = field(factory=lambda: itertools.count(31529))

    def numbers_of(self, token: str, national: set[str], now: dt.datetime) -> list[NumberRecord]:
        """The account's numbers, created with stable ids on first sight."""
        records = self.numbers.setdefault(token, [])
        known = {r.number for r in records}
        for number in sorted(national):
            e164 = number if number.startswith("+") else f"+1{number}"
            if e164 not in known:
                index = len(records)
                records.append(
                    NumberRecord(
                        id=self.next_number_id(),
                        number=e164,
                        gateway=_GATEWAYS[index % len(_GATEWAYS)],
                        name=f"Line {index + 1}",
                        created_at=now.replace(microsecond=0, tzinfo=None),
                    )
                )
        return records

    def templates_of(self, token: str, now: dt.datetime) -> list[Template]:
        """The account's approved templates; three samples (ids 7, 8, 9) by default."""
        if token not in self.templates:
            stamp = now.replace(microsecond=0, tzinfo=None)
            self.templates[token] = [
                Template(
                    id=7, group_name="General", name="Welcome", message="Welcome!", created_at=stamp
                ),
                Template(
                    id=8,
                    group_name="General",
                    name="Reminder",
                    message="A reminder from us.",
                    created_at=stamp,
                ),
                Template(
                    id=9,
                    group_name="Offers",
                    name="November",
                    message="20% off in November.",
                    created_at=stamp,
                ),
            ]
        return self.templates[token]

    def add_history(self, token: str, *records: HistoryRecord) -> None:
        """Seed an account's SMS history (e.g. months of records for a report)."""
        self.history.setdefault(token, []).extend(records)

    def next_number_id(self) -> int:
        return next(self._number_ids)

    def next_campaign_id(self) -> int:
        return next(self._campaign_ids)

    def hold(self, campaign_id: int, now: float, remarks: str = "Paused") -> None:
        """Put a campaign on ``Hold`` (as the web app's pause, or running out of credits)."""
        campaign = self.campaigns[campaign_id]
        campaign.done_before = campaign.done(now)
        campaign.held = True
        campaign.remarks = remarks

    def resume(self, campaign_id: int, now: float) -> None:
        """Let a held campaign carry on from where it stopped."""
        campaign = self.campaigns[campaign_id]
        campaign.held = False
        campaign.remarks = ""
        campaign.resumed_at = now
