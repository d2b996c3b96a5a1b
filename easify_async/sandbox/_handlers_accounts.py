"""``GET voice-call/history`` and ``GET sub-user/tokens``.

Sub-users are accounts of their own (own token, numbers, calls) listed under their main
user. Only a main user may read sub-user tokens: the docs' error table is cut off at
"If user no…", so a sub-user asking gets the API's business-rule shape, a 400 with
`NOT_MAIN_USER`. ``include_subusers`` adds the sub-users' calls for a main user and is
ignored for a sub-user.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._extra_state import CallRecord
from ._handlers_email_v3 import array_field
from ._replies import failure, field_error
from ._state import Account

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["NOT_MAIN_USER", "call_history", "sub_user_tokens"]

NOT_MAIN_USER = "Only the main user can access the sub-user tokens."
MAX_TO = 100
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_BOOLEANS = {"1": True, "0": False, "true": True, "false": False}


def _boolean(fields: dict[str, Any], name: str) -> bool | Response | None:
    """Laravel's ``boolean`` rule: 1, 0, "1", "0", true, false."""
    if name not in fields:
        return None
    value = _BOOLEANS.get(str(fields[name]).strip().lower())
    if value is None:
        return field_error(name, f"The {name.replace('_', ' ')} field must be true or false.")
    return value


def _date(fields: dict[str, Any], name: str) -> dt.date | Response | None:
    value = text(fields, name)
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        return field_error(name, f"The {name.replace('_', ' ')} field must match the format Y-m-d.")


def call_history(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET voice-call/history: the account's calls, filtered, one page."""
    start = _date(fields, "from_date")
    if isinstance(start, Response):
        return start
    end = _date(fields, "to_date")
    if isinstance(end, Response):
        return end
    public = _boolean(fields, "public_call")
    if isinstance(public, Response):
        return public
    subusers = _boolean(fields, "include_subusers")
    if isinstance(subusers, Response):
        return subusers
    if start is not None and end is not None and end < start:
        return field_error(
            "to_date", "The to date field must be a date after or equal to from date."
        )
    order = text(fields, "order") or "desc"
    if order not in ("asc", "desc"):
        return field_error("order", "The selected order is invalid.")
    to = array_field(fields, "to") or []
    if len(to) > MAX_TO:
        return field_error("to", f"The to field must not have more than {MAX_TO} items.")
    caller = text(fields, "from")
    tokens = [account.token]
    if subusers is True and sandbox.extra.main_of(account.token) is None:
        tokens += [s.token for s in sandbox.extra.sub_users.get(account.token, [])]
    calls: list[CallRecord] = [c for t in tokens for c in sandbox.extra.calls.get(t, [])]
    selected = [
        c
        for c in calls
        if (not caller or c.from_number == caller)
        and (not to or c.to_number in to)
        and (start is None or c.created_at.date() >= start)
        and (end is None or c.created_at.date() <= end)
        and (public is not True or c.public_call)
    ]
    selected.sort(key=lambda c: (c.created_at, c.id), reverse=order == "desc")
    return list_reply(fields, "Call History", [c.to_json() for c in selected])


def sub_user_tokens(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sub-user/tokens: the main user's sub-users with their tokens, one page."""
    if sandbox.extra.main_of(account.token) is not None:
        return failure(400, NOT_MAIN_USER)
    email = text(fields, "email")
    if email and not _EMAIL.fullmatch(email):
        return field_error("email", "The email field must be a valid email address.")
    subs = [
        s.to_json()
        for s in sandbox.extra.sub_users.get(account.token, [])
        if not email or s.email == email
    ]
    return list_reply(fields, "Sub Users", subs)
