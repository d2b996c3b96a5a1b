"""``GET sms/report``, ``GET sms/chat-history`` and ``GET sms/templates``.

The history is the account's seeded records (`ApiState.add_history`) plus every SMS the
sandbox accepted from it, with its current status, so a report shows your own sends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ..models import SmsStatus
from ._api_fields import list_reply, text
from ._api_state import HistoryRecord
from ._pagination import LIMIT_RULES, page_numbers
from ._phones import COUNTRY_CODES, listed_country_code, owned_number
from ._replies import failure, success, validation_error
from ._state import Account, SentSms
from ._validator import (
    Rules,
    after_or_equal,
    date_format,
    in_,
    required,
    required_with,
    rule,
    validate,
)

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


def _within_range(value: Any, fields: Mapping[str, Any]) -> bool:
    # Judged only when both dates are valid: the format rules report the rest.
    dates = [_date(v) for v in (fields.get("from_date"), value)]
    return None in dates or (dates[1] - dates[0]).days <= MAX_DAYS  # type: ignore[operator]


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# In the order of the docs' parameter table; ``page`` is never refused (Laravel's
# paginator reads a bad page as page 1).
_REPORT_RULES: Rules = {
    "from_date": [required(), date_format("Y-m-d")],
    "to_date": [
        required(),
        date_format("Y-m-d"),
        after_or_equal("from_date", "Y-m-d"),
        rule(_within_range, f"The date range must not exceed {MAX_DAYS} days."),
    ],
    "limit": LIMIT_RULES,
    "status": [in_(*sorted(_STATUSES))],
    "receiver": [required_with("country_code")],
    "order": [in_("asc", "desc")],
    "country_code": [required_with("receiver"), in_(*COUNTRY_CODES)],
}
_CHAT_RULES: Rules = {
    "sender": [required()],
    "receiver": [required()],
    "country_code": [required(), in_(*COUNTRY_CODES)],
    "limit": LIMIT_RULES,
}
_TEMPLATE_RULES: Rules = {"limit": LIMIT_RULES}


def sms_report(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/report: the account's SMS between two dates, filtered, one page."""
    failed = validate(_REPORT_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    start, end = (dt.date.fromisoformat(fields[name]) for name in ("from_date", "to_date"))
    status = text(fields, "status")
    order = text(fields, "order") or "desc"
    receiver = text(fields, "receiver")
    code = listed_country_code(fields.get("country_code"))
    sender = text(fields, "sender")
    if sender and owned_number(sender, account.from_numbers) is None:
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
    """GET sms/chat-history: the messages between one of your numbers and another.

    ``data`` is a plain list, newest first, as the docs show it (§3.4): ``limit`` and
    ``page`` pick the slice, and no ``links``/``meta`` are added.
    """
    failed = validate(_CHAT_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    sender, receiver = text(fields, "sender"), text(fields, "receiver")
    code = listed_country_code(fields["country_code"])
    if owned_number(sender, account.from_numbers) is None:
        return failure(400, "Selected sender is invalid")
    records = [
        r.to_json()
        for r in sorted(
            history_of(sandbox, account), key=lambda r: (r.created_at, r.id), reverse=True
        )
        if r.sender.endswith(sender) and r.receiver == f"{code}{receiver}"
    ]
    page, per_page = page_numbers(fields)
    return success("Chat History", records[(page - 1) * per_page : page * per_page])


def templates(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/templates: the account's approved templates, one page."""
    failed = validate(_TEMPLATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    items = [t.to_json() for t in sandbox.api.templates_of(account.token, sandbox.wall_clock())]
    return list_reply(fields, "SMS Templates", items)
