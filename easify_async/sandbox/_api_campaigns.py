"""``POST sms/campaign/send``, ``GET sms/campaign/status``, ``GET sms/campaign/items``.

The recipients file is read by `RecipientsFile` (``_recipients_file``).

A recipient whose `Delivery` (``Sandbox.set_delivery``) is Failed or Undelivered ends
``Failed`` in the items, with the delivery's remarks.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from .._routes import CAMPAIGN_ITEMS, CAMPAIGN_SEND, CAMPAIGN_STATUS
from ..models import SmsStatus
from ._api_state import API_TIME_FORMAT, Campaign
from ._pagination import LIMIT_RULES
from ._phones import e164, owned_number
from ._php import filter_int, php_string
from ._recipients_file import RecipientsFile
from ._replies import failure, success, validation_error
from ._request import ApiRequest, list_reply, text
from ._routing import Endpoint
from ._state import Account
from ._validator import (
    Rules,
    array,
    date_format,
    file,
    integer,
    required,
    rule,
    string,
    timezone,
    validate,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = [
    "MAX_RECIPIENTS",
    "NO_VALID_RECIPIENTS",
    "ROUTES",
    "items",
    "send",
    "status",
]

MAX_RECIPIENTS = 10_000
NO_VALID_RECIPIENTS = "No valid recipients found in the recipients file."
_NOT_CSV = "The recipients file field must be a file of type: csv."
_NO_NUMBER_COLUMN = "The recipients file field must have a phone number column."
_TOO_MANY = f"The recipients file may not have more than {MAX_RECIPIENTS} recipients."
_SCHEDULE = "%Y-%m-%d %H:%M:%S"


def _send_rules(upload: RecipientsFile) -> Rules:
    return {
        "campaign_name": [required(), string()],
        "from_numbers": [required(), array()],
        "template_ids": [required(), array()],
        "template_ids.*": [integer()],
        "recipients_file": [
            required(),
            file(),
            rule(lambda _, __: upload.rows is not None, _NOT_CSV),
            rule(lambda _, __: upload.rows is None or upload.number_column is not None,
                 _NO_NUMBER_COLUMN),
            rule(lambda _, __: len(upload.rows or []) <= MAX_RECIPIENTS, _TOO_MANY),
        ],
        "schedule_time": [date_format("Y-m-d H:i:s")],
        "schedule_timezone": [timezone()],
    }  # fmt: skip


def send(state: SandboxState, request: ApiRequest) -> Response:
    """POST sms/campaign/send (multipart)."""
    account, fields = request.account, request.fields
    upload = RecipientsFile.read(request.uploads.get("recipients_file", ("", b""))[1])
    failed = validate(_send_rules(upload), fields)
    if failed is not None:
        return validation_error(failed)
    name = text(fields, "campaign_name")
    owned = [owned_number(php_string(n), account.from_numbers) for n in fields["from_numbers"]]
    if None in owned:
        return failure(400, "Selected from number is invalid")
    now_wall = state.wall_clock()
    templates = {t.id: t for t in state.api.templates_of(account.token, now_wall)}
    template_ids = [filter_int(t) for t in fields["template_ids"]]
    if any(t not in templates for t in template_ids):
        return failure(400, "Invalid template id")
    in_file, recipients, values = upload.recipients(state.blacklist | state.invalid_recipients)
    if not recipients:
        return failure(400, NO_VALID_RECIPIENTS)
    schedule_time, zone_name = text(fields, "schedule_time"), text(fields, "schedule_timezone")
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else dt.timezone.utc
    scheduled = (
        dt.datetime.strptime(schedule_time, _SCHEDULE).replace(tzinfo=zone)
        if schedule_time
        else None
    )
    now = state.clock()
    delay = max(0.0, (scheduled - now_wall).total_seconds()) if scheduled else 0.0
    campaign = Campaign(
        id=state.api.next_campaign_id(),
        token=account.token,
        name=name,
        from_numbers=[e164(n) for n in owned if n is not None],
        messages=[templates[t].message for t in template_ids if t is not None],
        recipients=recipients,
        values=values,
        recipients_in_file=in_file,
        created_at=now_wall.replace(microsecond=0, tzinfo=None),
        sent_at=now,
        processing_at=now + state.api.campaign_prepare / 2,
        starts_at=now + state.api.campaign_prepare + delay,
        rate=state.api.campaign_rate,
        schedule_time=schedule_time or None,
        schedule_timezone=zone_name or None,
        failing={
            r: delivery.remarks or delivery.status.value
            for r in recipients
            if (delivery := state.delivery_for(r)).status in _FAILING
        },
    )
    state.api.campaigns[campaign.id] = campaign
    if account.sms_credits < len(recipients):
        state.api.hold(campaign.id, now, remarks="Insufficient credits")
    else:
        account.sms_credits -= len(recipients)
    return success(
        "SMS Campaign Processed Successfully",
        {
            "campaign_id": campaign.id,
            "recipients_in_file": in_file,
            "valid_recipients": len(recipients),
            "invalid_recipients": in_file - len(recipients),
        },
    )


_FAILING = (SmsStatus.FAILED, SmsStatus.UNDELIVERED)
_ID_RULES: Rules = {"campaign_id": [required(), integer()]}
_ITEMS_RULES: Rules = {**_ID_RULES, "limit": LIMIT_RULES}


def _campaign(
    state: SandboxState, account: Account, fields: dict[str, Any], rules: Rules
) -> Campaign | Response:
    failed = validate(rules, fields)
    if failed is not None:
        return validation_error(failed)
    campaign = state.api.campaigns.get(filter_int(fields["campaign_id"]) or 0)
    if campaign is None or campaign.token != account.token:
        return failure(400, "Invalid campaign id")
    return campaign


def _wall(state: SandboxState, campaign: Campaign, at: float) -> str:
    moment = campaign.created_at + dt.timedelta(seconds=at - campaign.sent_at)
    return moment.strftime(API_TIME_FORMAT)


def status(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/campaign/status: where the campaign is, counts moving with the clock."""
    account, fields = request.account, request.fields
    campaign = _campaign(state, account, fields, _ID_RULES)
    if isinstance(campaign, Response):
        return campaign
    now = state.clock()
    done = campaign.done(now)
    phase = campaign.status(now)
    failed = sum(1 for r in campaign.recipients[:done] if r in campaign.failing)
    left = len(campaign.recipients) - done
    return success(
        "SMS Campaign Status Fetched Successfully",
        {
            "campaign_id": campaign.id,
            "status": phase,
            "campaign_name": campaign.name,
            "total_recipients_count": len(campaign.recipients),
            "pending_count": 0 if phase == "Hold" else left,
            "running_count": 0,
            "hold_count": left if phase == "Hold" else 0,
            "success_count": done - failed,
            "failed_count": failed,
            "cancelled_count": 0,
            "estimated_credits": len(campaign.recipients),
            "credits_spend": done - failed,  # sic: the API's spelling
            "url_shortening_estimated_credits": 0,
            "url_shortening_credits_spent": 0,
            "scheduled_at": _wall(state, campaign, campaign.starts_at)
            if campaign.schedule_time
            else None,
            "scheduled_timezone": campaign.schedule_timezone,
            "remarks": campaign.remarks,
            "completed_at": _wall(state, campaign, campaign.finished_at())
            if phase == "Completed"
            else None,
            "cancelled_at": None,
            "created_at": campaign.created_at.strftime(API_TIME_FORMAT),
        },
    )


def items(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/campaign/items: one item per valid recipient, one page."""
    account, fields = request.account, request.fields
    campaign = _campaign(state, account, fields, _ITEMS_RULES)
    if isinstance(campaign, Response):
        return campaign
    done = campaign.done(state.clock())
    rows = []
    for index, receiver in enumerate(campaign.recipients):
        processed = index < done
        failed = processed and receiver in campaign.failing
        rows.append(
            {
                "id": campaign.id * 100_000 + index + 1,
                "campaign_id": campaign.id,
                "sender": campaign.from_numbers[index % len(campaign.from_numbers)],
                "receiver": receiver,
                "message": campaign.message_for(index),
                "credits": 1 if processed and not failed else 0,
                "url_shortening_credits": 0,
                "media_url": None,
                "remarks": campaign.failing[receiver] if failed else None,
                "status": ("Failed" if failed else "Success") if processed else "Pending",
                "scheduled_at": None,
                "scheduled_timezone": campaign.schedule_timezone,
                "sms_type": "sms",
                "created_at": campaign.created_at.strftime(API_TIME_FORMAT),
            }
        )
    return list_reply(request, "SMS Campaign Items", rows)


#: ``sms/campaign/send`` states no limit: 60 is Laravel's default ``throttle:api``.
ROUTES: tuple[Endpoint, ...] = (
    Endpoint(CAMPAIGN_SEND, send, served_limit=60),
    Endpoint(CAMPAIGN_STATUS, status),
    Endpoint(CAMPAIGN_ITEMS, items),
)
