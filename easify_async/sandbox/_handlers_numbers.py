"""``GET phone-numbers`` and ``PATCH phone-numbers/update``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._pagination import unpaginated
from ._replies import failure, field_error, success
from ._state import Account

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["phone_numbers", "update"]

_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


def phone_numbers(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET phone-numbers: the whole list without ``limit``, else one page."""
    records = sandbox.api.numbers_of(account.token, account.from_numbers, sandbox.wall_clock())
    items = [r.to_json() for r in records]
    if "limit" not in fields:
        return unpaginated("Phone Numbers", items)
    return list_reply(fields, "Phone Numbers", items)


def update(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """PATCH phone-numbers/update: set a number's incoming-SMS webhook URL."""
    number_id = text(fields, "phone_number_id")
    url = text(fields, "webhook_url")
    if not number_id:
        # The docs' inner and outer messages differ; kept as documented.
        return field_error(
            "phone_number_id",
            "The phone number field is required.",
            outer="The phone number id field is required.",
        )
    if not url:
        return field_error("webhook_url", "The webhook url field is required.")
    if not _URL.fullmatch(url):
        return field_error("webhook_url", "The webhook url field must be a valid URL.")
    records = sandbox.api.numbers_of(account.token, account.from_numbers, sandbox.wall_clock())
    record = next((r for r in records if str(r.id) == number_id), None)
    if record is None:
        return failure(400, "Invalid phone number id")
    record.webhook_url = url
    return success("Webhook URL updated successfully", record.to_json())
