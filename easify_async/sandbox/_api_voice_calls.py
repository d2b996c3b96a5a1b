"""``GET voice-call/history``.

``include_subusers`` adds the sub-users' calls for a main user and is ignored for a
sub-user.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from .._routes import VOICE_CALL_HISTORY
from ._extra_state import CallRecord
from ._pagination import LIMIT_RULES
from ._replies import validation_error
from ._request import ApiRequest, array_field, list_reply, text
from ._routing import Endpoint
from ._validator import (
    Rules,
    after_or_equal,
    boolean,
    date_format,
    in_,
    max_items,
    string,
    validate,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["MAX_TO", "ROUTES", "call_history"]

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


def _flag(value: Any) -> bool | None:
    """A validated ``boolean`` field's value; None when absent."""
    return None if value is None else value in (True, 1, "1")


def call_history(state: SandboxState, request: ApiRequest) -> Response:
    """GET voice-call/history: the account's calls, filtered, one page.

    ``public_call`` given selects the public (``1``) or the other (``0``) calls.
    """
    account, fields = request.account, request.fields
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
    if subusers is True and state.extra.main_of(account.token) is None:
        tokens += [s.token for s in state.extra.sub_users.get(account.token, [])]
    calls: list[CallRecord] = [c for t in tokens for c in state.extra.calls.get(t, [])]
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
    return list_reply(request, "Call History", [c.to_json() for c in selected])


ROUTES: tuple[Endpoint, ...] = (Endpoint(VOICE_CALL_HISTORY, call_history),)
