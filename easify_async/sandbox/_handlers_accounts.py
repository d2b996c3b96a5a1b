"""``GET voice-call/history`` and ``GET sub-user/tokens``.

Sub-users are accounts of their own (own token, numbers, calls) listed under their main
user. Only a main user may read sub-user tokens: the docs' error table is cut off at
"If user no…", so a sub-user asking gets the API's business-rule shape, a 400 with
`NOT_MAIN_USER`. ``include_subusers`` adds the sub-users' calls for a main user and is
ignored for a sub-user.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._extra_state import CallRecord
from ._handlers_email_v3 import array_field
from ._pagination import LIMIT_RULES
from ._replies import failure, validation_error
from ._state import Account
from ._validator import (
    Rules,
    after_or_equal,
    boolean,
    date_format,
    email,
    in_,
    max_items,
    string,
    validate,
)

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["NOT_MAIN_USER", "call_history", "sub_user_tokens"]

NOT_MAIN_USER = "Only the main user can access the sub-user tokens."
MAX_TO = 100
# The docs' parameter order (§3.17). ``to`` is typed array, but the docs' own sample
# sends one string: a lone string is taken as one number (a guess).
_CALL_RULES: Rules = {
    "from": [string()],
    "to": [max_items(MAX_TO)],
    "from_date": [date_format("Y-m-d")],
    "to_date": [date_format("Y-m-d"), after_or_equal("from_date", "Y-m-d")],
    "public_call": [boolean()],
    "limit": LIMIT_RULES,
    "order": [in_("asc", "desc")],
    "include_subusers": [boolean()],
}
_TOKEN_RULES: Rules = {"email": [email()], "limit": LIMIT_RULES}


def _flag(value: Any) -> bool | None:
    """A validated ``boolean`` field's value; None when absent."""
    return None if value is None else value in (True, 1, "1")


def call_history(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET voice-call/history: the account's calls, filtered, one page.

    ``public_call`` given selects the public (``1``) or the other (``0``) calls.
    """
    failed = validate(_CALL_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    start, end = (
        dt.date.fromisoformat(fields[n]) if fields.get(n) else None
        for n in ("from_date", "to_date")
    )
    public, subusers = _flag(fields.get("public_call")), _flag(fields.get("include_subusers"))
    order = text(fields, "order") or "desc"
    to = array_field(fields, "to") or []
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
        and (public is None or c.public_call is public)
    ]
    selected.sort(key=lambda c: (c.created_at, c.id), reverse=order == "desc")
    return list_reply(fields, "Call History", [c.to_json() for c in selected])


def sub_user_tokens(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sub-user/tokens: the main user's sub-users with their tokens, one page."""
    if sandbox.extra.main_of(account.token) is not None:
        return failure(400, NOT_MAIN_USER)
    failed = validate(_TOKEN_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    email_address = text(fields, "email")
    subs = [
        s.to_json()
        for s in sandbox.extra.sub_users.get(account.token, [])
        if not email_address or s.email == email_address
    ]
    return list_reply(fields, "Sub Users", subs)
