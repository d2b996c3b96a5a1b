"""``GET sms/report``, ``GET sms/chat-history`` and ``GET sms/templates``.

The history is the account's seeded records (`ApiState.add_history`) plus every SMS the
sandbox accepted from it, with its current status, so a report shows your own sends.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response

from ..models import SmsStatus
from ._api_fields import list_reply, text
from ._api_state import HistoryRecord
from ._pagination import DEFAULT_PER_PAGE
from ._phones import COUNTRY_CODES
from ._replies import COUNTRY_MESSAGE, failure, field_error
from ._state import Account, SentSms

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["chat_history", "history_of", "sms_report", "templates"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STATUSES = {s.value for s in SmsStatus}
#: The most days between from_date and to_date the report accepts.
MAX_DAYS = 30


def history_of(sandbox: Sandbox, account: Account) -> list[HistoryRecord]:
    """Every SMS of the account: seeded ones and the sandbox's own sends."""
    sent = [_record(sandbox, s) for s in sandbox.sent_sms if s.token == account.token]
    return [*sandbox.api.history.get(account.token, []), *sent]


def _record(sandbox: Sandbox, sent: SentSms) -> HistoryRecord:
    status, remarks = sandbox.status_of(sent)
    age = dt.timedelta(seconds=sandbox.clock() - sent.accepted_at)
    sender = sent.from_number if sent.from_number.startswith("+") else f"+1{sent.from_number}"
    return HistoryRecord(
        id=int(sent.sms_id),
        sender=sender,
        receiver=sent.receiver,
        message=sent.message or "",
        status=status.value,
        created_at=(sandbox.wall_clock() - age).replace(microsecond=0, tzinfo=None),
        media_url=sent.media or "",
        reason=remarks or None,
    )


def sms_report(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/report: the account's SMS between two dates, filtered, one page."""
    dates = []
    for name in ("from_date", "to_date"):
        value = text(fields, name)
        label = name.replace("_", " ")
        if not value:
            return field_error(name, f"The {label} field is required.")
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            dates.append(dt.date.fromisoformat(value))
        except ValueError:
            return field_error(name, f"The {label} field must match the format Y-m-d.")
    start, end = dates
    if end < start:
        return field_error(
            "to_date", "The to date field must be a date after or equal to from date."
        )
    if (end - start).days > MAX_DAYS:
        return field_error("to_date", f"The date range must not exceed {MAX_DAYS} days.")
    status = text(fields, "status")
    if status and status not in _STATUSES:
        return field_error("status", "The selected status is invalid.")
    order = text(fields, "order") or "desc"
    if order not in ("asc", "desc"):
        return field_error("order", "The selected order is invalid.")
    receiver, code = text(fields, "receiver"), text(fields, "country_code")
    if receiver and not code:
        return field_error(
            "country_code", "The country code field is required when receiver is present."
        )
    if code and not receiver:
        return field_error(
            "receiver", "The receiver field is required when country code is present."
        )
    if code and code not in COUNTRY_CODES:
        return field_error("country_code", COUNTRY_MESSAGE)
    sender = text(fields, "sender")
    if sender and sender not in account.from_numbers:
        return failure(400, "Selected sender is invalid")
    records = [
        r
        for r in history_of(sandbox, account)
        if start <= r.created_at.date() <= end
        and (not status or r.status == status)
        and (not sender or r.sender.endswith(sender))
        and (not receiver or r.receiver == f"{code}{receiver}")
    ]
    records.sort(key=lambda r: (r.created_at, r.id), reverse=order == "desc")
    return list_reply(fields, "SMS Report", records, HistoryRecord.to_json)


def chat_history(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/chat-history: the messages between one of your numbers and another."""
    sender, receiver, code = (text(fields, n) for n in ("sender", "receiver", "country_code"))
    for name, value in (("sender", sender), ("receiver", receiver), ("country_code", code)):
        if not value:
            return field_error(name, f"The {name.replace('_', ' ')} field is required.")
    if code not in COUNTRY_CODES:
        return field_error("country_code", COUNTRY_MESSAGE)
    if sender not in account.from_numbers:
        return failure(400, "Selected sender is invalid")
    records = [
        r.to_json()
        for r in sorted(
            history_of(sandbox, account), key=lambda r: (r.created_at, r.id), reverse=True
        )
        if r.sender.endswith(sender) and r.receiver == f"{code}{receiver}"
    ]
    if "limit" not in fields and "page" not in fields:
        # The docs' sample: the latest messages as a bare list, no links or meta.
        return JSONResponse(
            {"status": True, "message": "Chat History", "data": records[:DEFAULT_PER_PAGE]}
        )
    return list_reply(fields, "Chat History", records)


def templates(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/templates: the account's approved templates, one page."""
    items = [t.to_json() for t in sandbox.api.templates_of(account.token, sandbox.wall_clock())]
    return list_reply(fields, "SMS Templates", items)
