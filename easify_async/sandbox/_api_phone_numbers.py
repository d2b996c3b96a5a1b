"""``GET phone-numbers`` and ``PATCH phone-numbers/update``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from .._routes import PHONE_NUMBERS, PHONE_NUMBERS_UPDATE
from ._pagination import LIMIT_RULES, unpaginated
from ._php import filter_int
from ._replies import failure, success, validation_error
from ._request import ApiRequest, list_reply, text
from ._routing import Endpoint
from ._validator import (
    Rules,
    integer,
    required,
    url,
    validate,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["ROUTES", "phone_numbers", "update"]

_LIST_RULES: Rules = {"limit": LIMIT_RULES}
_UPDATE_RULES: Rules = {
    # The docs' inner and outer messages differ; kept as documented.
    "phone_number_id": [
        required().says(
            "The phone number field is required.",
            summary="The phone number id field is required.",
        ),
        integer(),
    ],
    "webhook_url": [required(), url()],
}


def phone_numbers(state: SandboxState, request: ApiRequest) -> Response:
    """GET phone-numbers: the whole list without ``limit``, else one page."""
    account, fields = request.account, request.fields
    failed = validate(_LIST_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = state.api.numbers_of(account.token, account.from_numbers, state.wall_clock())
    items = [r.to_json() for r in records]
    if "limit" not in fields:
        return unpaginated("Phone Numbers", items)
    return list_reply(request, "Phone Numbers", items)


def update(state: SandboxState, request: ApiRequest) -> Response:
    """PATCH phone-numbers/update: set a number's incoming-SMS webhook URL."""
    account, fields = request.account, request.fields
    failed = validate(_UPDATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    number_id = filter_int(fields["phone_number_id"])
    records = state.api.numbers_of(account.token, account.from_numbers, state.wall_clock())
    record = next((r for r in records if r.id == number_id), None)
    if record is None:
        return failure(400, "Invalid phone number id")
    record.webhook_url = text(fields, "webhook_url")
    return success("Webhook URL updated successfully", record.to_json())


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(PHONE_NUMBERS, phone_numbers),
    Endpoint(PHONE_NUMBERS_UPDATE, update),
)
