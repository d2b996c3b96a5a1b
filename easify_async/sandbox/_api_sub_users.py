"""``GET sub-user/tokens``.

Sub-users are accounts of their own (own token, numbers, calls) listed under their main
user. Only a main user may read sub-user tokens: the docs' error table is cut off at
"If user no…", so a sub-user asking gets the API's business-rule shape, a 400 with
`NOT_MAIN_USER`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from .._routes import SUB_USER_TOKENS
from ._pagination import LIMIT_RULES
from ._replies import failure, validation_error
from ._request import ApiRequest, list_reply, text
from ._routing import Endpoint
from ._validator import (
    Rules,
    email,
    validate,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["NOT_MAIN_USER", "ROUTES", "sub_user_tokens"]

NOT_MAIN_USER = "Only the main user can access the sub-user tokens."
_TOKEN_RULES: Rules = {"email": [email()], "limit": LIMIT_RULES}


def sub_user_tokens(state: SandboxState, request: ApiRequest) -> Response:
    """GET sub-user/tokens: the main user's sub-users with their tokens, one page."""
    account, fields = request.account, request.fields
    if state.extra.main_of(account.token) is not None:
        return failure(400, NOT_MAIN_USER)
    failed = validate(_TOKEN_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    email_address = text(fields, "email")
    subs = [
        s.to_json()
        for s in state.extra.sub_users.get(account.token, [])
        if not email_address or s.email == email_address
    ]
    return list_reply(request, "Sub Users", subs)


ROUTES: tuple[Endpoint, ...] = (Endpoint(SUB_USER_TOKENS, sub_user_tokens),)
