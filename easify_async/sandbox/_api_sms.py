"""``sms/send``, ``sms/status``, ``sms/report``, ``sms/chat-history``, ``sms/templates``.

Within ``sms/send`` the checks run in this order, and the first stage that fails answers:

1. a missing ``country_code`` is a 400 of its own, before anything else. The docs
   answer it 400 in Laravel's validation shape with that one field, which a Laravel
   validator never does by itself (it throws a 422): the app must validate the country
   code alone first and answer 400. It has to come first, because the country decides
   what a valid ``to_number`` is. So with ``to_number`` (or any other field) missing as
   well, the answer is that 400 with only ``country_code`` in it.
2. The validator (422): every field in the order of the docs' parameter table, every
   failing rule listed, Laravel's summary message (see ``_validator``).
3. The business rules (400), in the order of the docs' error table, then the send is
   accepted (200).

The history is the account's seeded records (`ApiState.add_history`) plus every SMS the
sandbox accepted from it, with its current status, so a report shows your own sends.

Deliberately not the client's own checks (_validation.py): the sandbox stands in for the
server, so a mistake in the client's validation must show up here, not pass twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from .._routes import SMS_CHAT_HISTORY, SMS_REPORT, SMS_SEND, SMS_STATUS, SMS_TEMPLATES
from ..models import SmsStatus
from ._api_state import HistoryRecord
from ._pagination import LIMIT_RULES, page_numbers
from ._phones import COUNTRY_CODES, listed_country_code, owned_number, recipient_number
from ._php import php_string
from ._replies import COUNTRY_MESSAGE, failure, success, validation_error
from ._request import ApiRequest, flag, list_reply, optional_text, text
from ._routing import Endpoint
from ._state import Account, SentSms
from ._validator import (
    Rules,
    after_or_equal,
    date_format,
    file_or_url,
    in_,
    required,
    required_with,
    required_without,
    rule,
    validate,
    zero_or_one,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = [
    "MAX_DAYS",
    "ROUTES",
    "chat_history",
    "history_of",
    "sms_report",
    "sms_send",
    "sms_status",
    "templates",
]

_COUNTRY_PRESENT: Rules = {"country_code": [required()]}
_SMS_RULES: Rules = {
    # The docs' top-level message for this one differs from the field's message.
    "from_number": [
        required().says("The from number is required.", summary="The from_number is required.")
    ],
    "to_number": [required()],
    "message": [required_without("media")],
    "media": [required_without("message"), file_or_url()],
    "country_code": [in_(*COUNTRY_CODES).says(COUNTRY_MESSAGE)],
    "force_send": zero_or_one(),
}
_STATUS_RULES: Rules = {"sms_id": [required()]}

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STATUSES = {s.value for s in SmsStatus}
#: The most days between from_date and to_date the report accepts.
MAX_DAYS = 30


def sms_send(state: SandboxState, request: ApiRequest) -> Response:
    """POST sms/send."""
    account, fields = request.account, request.fields
    missing = validate(_COUNTRY_PRESENT, fields)
    if missing is not None:
        return validation_error(missing, status=400)
    failed = validate(_SMS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    # The in: rule compares loosely ("1" == "+1"), so the code is read back from its list.
    country_code = listed_country_code(fields["country_code"])
    assert country_code is not None  # the in: rule passed
    from_number = owned_number(php_string(fields["from_number"]), account.from_numbers)
    if from_number is None:
        return failure(400, "Selected from number is invalid")
    to_number = recipient_number(php_string(fields["to_number"]), country_code)
    receiver = f"{country_code}{to_number}"
    if to_number is None or receiver in state.invalid_recipients:
        return failure(400, "InvalidRecipient!")
    if receiver in state.blacklist:
        return failure(400, " Sorry, this recipient is blacklisted! ")
    if account.sms_credits < 1:
        return failure(
            400, "Sorry, you do not have enough credits to send this SMS. Please recharge for more."
        )
    account.sms_credits -= 1
    force = flag(fields.get("force_send"))
    media = fields.get("media")
    sent = SentSms(
        sms_id=state.next_sms_id(),
        token=account.token,
        from_number=from_number,
        to_number=to_number,
        country_code=country_code,
        message=optional_text(fields.get("message")),
        media=media.filename if isinstance(media, UploadFile) else optional_text(media),
        lead_id=optional_text(fields.get("lead_id")),
        force_send=force,
        scheduled=not force and not state.open_now(),
        accepted_at=state.clock(),
        delivery=state.delivery_for(receiver),
    )
    state.accept_sms(sent, account)
    return success(" SMS Processed successfully.", {"sms_id": sent.sms_id})


def sms_status(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/status."""
    account, fields = request.account, request.fields
    failed = validate(_STATUS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    sent = state.find_sms(account, php_string(fields["sms_id"]))
    if sent is None:
        return failure(400, "Failed to fetch SMS Status, please check your SMS ID!")
    status, remarks = state.status_of(sent)
    return success("SMS status successfully fetched", {"status": status.value, "remarks": remarks})


def history_of(state: SandboxState, account: Account) -> list[HistoryRecord]:
    """Every SMS of the account: seeded ones and the sandbox's own sends."""
    sent = [_record(state, s) for s in state.sent_sms if s.token == account.token]
    return [*state.api.history.get(account.token, []), *sent]


def _record(state: SandboxState, sent: SentSms) -> HistoryRecord:
    status, remarks = state.status_of(sent)
    age = dt.timedelta(seconds=state.clock() - sent.accepted_at)
    sender = sent.from_number if sent.from_number.startswith("+") else f"+1{sent.from_number}"
    return HistoryRecord(
        id=int(sent.sms_id),
        sender=sender,
        receiver=sent.receiver,
        message=sent.message or "",
        status=status.value,
        created_at=(state.wall_clock() - age).replace(microsecond=0, tzinfo=None),
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


def sms_report(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/report: the account's SMS between two dates, filtered, one page."""
    account, fields = request.account, request.fields
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
        for r in history_of(state, account)
        if start <= r.created_at.date() <= end
        and (not status or r.status == status)
        and (not sender or r.sender.endswith(sender))
        and (not receiver or r.receiver == f"{code}{receiver}")
    ]
    records.sort(key=lambda r: (r.created_at, r.id), reverse=order == "desc")
    return list_reply(request, "SMS Report", records, HistoryRecord.to_json)


def chat_history(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/chat-history: the messages between one of your numbers and another.

    ``data`` is a plain list, newest first, as the docs show it (§3.4): ``limit`` and
    ``page`` pick the slice, and no ``links``/``meta`` are added.
    """
    account, fields = request.account, request.fields
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
            history_of(state, account), key=lambda r: (r.created_at, r.id), reverse=True
        )
        if r.sender.endswith(sender) and r.receiver == f"{code}{receiver}"
    ]
    page, per_page = page_numbers(fields)
    return success("Chat History", records[(page - 1) * per_page : page * per_page])


def templates(state: SandboxState, request: ApiRequest) -> Response:
    """GET sms/templates: the account's approved templates, one page."""
    account, fields = request.account, request.fields
    failed = validate(_TEMPLATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    items = [t.to_json() for t in state.api.templates_of(account.token, state.wall_clock())]
    return list_reply(request, "SMS Templates", items)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(SMS_SEND, sms_send),
    Endpoint(SMS_STATUS, sms_status),
    Endpoint(SMS_REPORT, sms_report),
    Endpoint(SMS_CHAT_HISTORY, chat_history),
    Endpoint(SMS_TEMPLATES, templates),
)
