"""``POST sms/campaign/send``, ``GET sms/campaign/status``, ``GET sms/campaign/items``.

A campaign's recipients CSV is read as one number a row in its first column (a header
row without digits is skipped): the docs link a sample file whose columns were not
captured. Numbers are E.164 in a served country, or 10-digit US/Canada numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import current_request, list_reply, text
from ._api_state import API_TIME_FORMAT, Campaign
from ._phones import COUNTRY_CODES
from ._replies import failure, field_error, success
from ._state import Account

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["items", "send", "status"]

MAX_RECIPIENTS = 10_000
_SEPARATORS = re.compile(r"[\s().\-]")
_SCHEDULE = "%Y-%m-%d %H:%M:%S"


def _array(fields: dict[str, Any], name: str) -> list[str]:
    # Multipart "name[]" fields arrive as "name[N]" keys (see the pipeline); JSON as a list.
    value = fields.get(name)
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [str(v).strip() for k, v in fields.items() if k.startswith(f"{name}[")]


def _e164(cell: str) -> str | None:
    number = _SEPARATORS.sub("", cell)
    if number.isdigit() and len(number) == 10:
        return f"+1{number}"
    for code, lengths in COUNTRY_CODES.items():
        national = number[len(code) :]
        if number.startswith(code) and national.isdigit() and len(national) in lengths:
            return number
    return None


def _recipients(content: bytes) -> tuple[int, list[str]]:
    """(rows in the file, valid recipients in E.164)."""
    rows = [r for r in csv.reader(io.StringIO(content.decode("utf-8-sig", "replace"))) if r]
    if rows and not any(ch.isdigit() for ch in rows[0][0]):
        rows = rows[1:]  # a header
    return len(rows), [n for n in (_e164(r[0]) for r in rows) if n is not None]


def send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST sms/campaign/send (multipart)."""
    name = text(fields, "campaign_name")
    numbers, template_ids = _array(fields, "from_numbers"), _array(fields, "template_ids")
    upload = current_request.get().uploads.get("recipients_file")
    if not name:
        return field_error("campaign_name", "The campaign name field is required.")
    if not numbers:
        return field_error("from_numbers", "The from numbers field is required.")
    if not template_ids:
        return field_error("template_ids", "The template ids field is required.")
    if upload is None:
        return field_error("recipients_file", "The recipients file field is required.")
    if not upload[0].lower().endswith(".csv"):
        return field_error(
            "recipients_file", "The recipients file field must be a file of type: csv."
        )
    schedule_time, zone_name = text(fields, "schedule_time"), text(fields, "schedule_timezone")
    try:
        zone = zoneinfo.ZoneInfo(zone_name) if zone_name else dt.timezone.utc
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return field_error(
            "schedule_timezone", "The schedule timezone field must be a valid timezone."
        )
    try:
        scheduled = (
            dt.datetime.strptime(schedule_time, _SCHEDULE).replace(tzinfo=zone)
            if schedule_time
            else None
        )
    except ValueError:
        return field_error(
            "schedule_time", "The schedule time field must match the format Y-m-d H:i:s."
        )
    owned = {n if n.startswith("+") else f"+1{n}" for n in account.from_numbers}
    if any((n if n.startswith("+") else f"+1{n}") not in owned for n in numbers):
        return failure(400, "Selected from number is invalid")
    now_wall = sandbox.wall_clock()
    templates = {str(t.id): t for t in sandbox.api.templates_of(account.token, now_wall)}
    if any(t not in templates for t in template_ids):
        return failure(400, "Invalid template id")
    in_file, recipients = _recipients(upload[1])
    if in_file > MAX_RECIPIENTS:
        return field_error(
            "recipients_file",
            f"The recipients file may not have more than {MAX_RECIPIENTS} recipients.",
        )
    if not recipients:
        return failure(400, "No valid recipients found in the file")
    now = sandbox.clock()
    delay = max(0.0, (scheduled - now_wall).total_seconds()) if scheduled else 0.0
    campaign = Campaign(
        id=sandbox.api.next_campaign_id(),
        token=account.token,
        name=name,
        from_numbers=numbers,
        messages=[templates[t].message for t in template_ids],
        recipients=recipients,
        recipients_in_file=in_file,
        created_at=now_wall.replace(microsecond=0, tzinfo=None),
        sent_at=now,
        starts_at=now + sandbox.api.campaign_prepare + delay,
        rate=sandbox.api.campaign_rate,
        schedule_time=schedule_time or None,
        schedule_timezone=zone_name or None,
        failing=frozenset(r for r in recipients if r in sandbox.blacklist),
    )
    sandbox.api.campaigns[campaign.id] = campaign
    if account.sms_credits < len(recipients):
        sandbox.api.hold(campaign.id, now, remarks="Insufficient credits")
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


def _campaign(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Campaign | Response:
    raw = text(fields, "campaign_id")
    if not raw:
        return field_error("campaign_id", "The campaign id field is required.")
    if not raw.isdigit():
        return field_error("campaign_id", "The campaign id field must be an integer.")
    campaign = sandbox.api.campaigns.get(int(raw))
    if campaign is None or campaign.token != account.token:
        return failure(400, "Invalid campaign id")
    return campaign


def _wall(sandbox: Sandbox, campaign: Campaign, at: float) -> str:
    moment = campaign.created_at + dt.timedelta(seconds=at - campaign.sent_at)
    return moment.strftime(API_TIME_FORMAT)


def status(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/campaign/status: where the campaign is, counts moving with the clock."""
    campaign = _campaign(sandbox, account, fields)
    if isinstance(campaign, Response):
        return campaign
    now = sandbox.clock()
    done = campaign.done(now)
    state = campaign.status(now)
    failed = sum(1 for r in campaign.recipients[:done] if r in campaign.failing)
    left = len(campaign.recipients) - done
    return success(
        "SMS Campaign Status Fetched Successfully",
        {
            "campaign_id": campaign.id,
            "status": state,
            "campaign_name": campaign.name,
            "total_recipients_count": len(campaign.recipients),
            "pending_count": 0 if state == "Hold" else left,
            "running_count": 0,
            "hold_count": left if state == "Hold" else 0,
            "success_count": done - failed,
            "failed_count": failed,
            "cancelled_count": 0,
            "estimated_credits": len(campaign.recipients),
            "credits_spend": done - failed,  # sic: the API's spelling
            "url_shortening_estimated_credits": 0,
            "url_shortening_credits_spent": 0,
            "scheduled_at": _wall(sandbox, campaign, campaign.starts_at)
            if campaign.schedule_time
            else None,
            "scheduled_timezone": campaign.schedule_timezone,
            "remarks": campaign.remarks,
            "completed_at": _wall(sandbox, campaign, campaign.finished_at())
            if state == "Completed"
            else None,
            "cancelled_at": None,
            "created_at": campaign.created_at.strftime(API_TIME_FORMAT),
        },
    )


def items(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/campaign/items: one item per valid recipient, one page."""
    campaign = _campaign(sandbox, account, fields)
    if isinstance(campaign, Response):
        return campaign
    done = campaign.done(sandbox.clock())
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
                "message": campaign.messages[index % len(campaign.messages)],
                "credits": 1 if processed and not failed else 0,
                "url_shortening_credits": 0,
                "media_url": None,
                "remarks": "Blacklisted" if failed else None,
                "status": ("Failed" if failed else "Success") if processed else "Pending",
                "scheduled_at": None,
                "scheduled_timezone": campaign.schedule_timezone,
                "sms_type": "sms",
                "created_at": campaign.created_at.strftime(API_TIME_FORMAT),
            }
        )
    return list_reply(fields, "SMS Campaign Items", rows)
