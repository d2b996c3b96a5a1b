"""``GET phone-numbers`` and ``PATCH phone-numbers/update``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._pagination import LIMIT_RULES, unpaginated
from ._php import filter_int
from ._replies import failure, success, validation_error
from ._state import Account
from ._validator import Rules, integer, required, url, validate

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["phone_numbers", "update"]

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


def phone_numbers(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET phone-numbers: the whole list without ``limit``, else one page."""
    failed = validate(_LIST_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = sandbox.api.numbers_of(account.token, account.from_numbers, sandbox.wall_clock())
    items = [r.to_json() for r in records]
    if "limit" not in fields:
        return unpaginated("Phone Numbers", items)
    return list_reply(fields, "Phone Numbers", items)


def update(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """PATCH phone-numbers/update: set a number's incoming-SMS webhook URL."""
    failed = validate(_UPDATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    number_id = filter_int(fields["phone_number_id"])
    records = sandbox.api.numbers_of(account.token, account.from_numbers, sandbox.wall_clock())
    record = next((r for r in records if r.id == number_id), None)
    if record is None:
        return failure(400, "Invalid phone number id")
    record.webhook_url = text(fields, "webhook_url")
    return success("Webhook URL updated successfully", record.to_json())
