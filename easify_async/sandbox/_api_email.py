"""``POST email/send`` (v2) and ``GET email/senders``."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from .._routes import EMAIL_SEND, EMAIL_SENDERS
from ._pagination import LIMIT_RULES
from ._php import php_string
from ._replies import failure, success, validation_error
from ._request import ApiRequest, flag, list_reply, matching, optional_text
from ._routing import Endpoint
from ._state import SentEmail
from ._validator import (
    Rules,
    date_format,
    email,
    file_or_url,
    json_object,
    max_chars,
    required,
    required_without,
    rule,
    string,
    timezone,
    validate,
    zero_or_one,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["ROUTES", "email_send", "senders"]

_RECEIVER_INVALID = "The receiver field must be a valid email address."
_SENDERS_RULES: Rules = {"limit": LIMIT_RULES}


def email_send(state: SandboxState, request: ApiRequest) -> Response:
    """POST email/send (v2)."""
    account, fields = request.account, request.fields
    failed = validate(_email_rules(state), fields)
    if failed is not None:
        return validation_error(failed)
    sender = matching(php_string(fields["sender"]), account.senders)
    if sender is None:
        return failure(400, "Invalid Sender!")
    receiver = php_string(fields["receiver"])
    if matching(receiver, state.invalid_emails) is not None:
        return failure(400, "Invalid email address.")
    if account.email_credits < 1:
        return failure(
            400,
            "Sorry, you do not have enough credits to send this email. Please recharge for more.",
        )
    account.email_credits -= 1
    attachment = fields.get("attachment")
    attachments = attachment if isinstance(attachment, list) else [attachment]
    sent = SentEmail(
        email_id=secrets.token_hex(12),
        token=account.token,
        sender=sender,
        receiver=receiver,
        subject=php_string(fields["subject"]),
        message=optional_text(fields.get("message")),
        attachments=tuple(
            a.filename or "file" if isinstance(a, UploadFile) else str(a)
            for a in attachments
            if a is not None
        ),
        enable_unsubscribe=flag(fields.get("enable_unsubscribe")),
        schedule_time=optional_text(fields.get("schedule_time")),
        schedule_timezone=optional_text(fields.get("schedule_timezone")),
        additional_data=fields.get("additional_data"),
        from_name=optional_text(fields.get("from_name")),
        accepted_at=state.clock(),
        sent_on=state.wall_clock(),
    )
    state.accept_email(sent, account)
    return success("Email processed successfully", {"email_id": sent.email_id})


def _email_rules(state: SandboxState) -> Rules:
    def subscribed(value: Any, _: object) -> bool:
        return matching(php_string(value), state.unsubscribed) is None

    return {
        "sender": [required()],
        # The docs answer an unsubscribed receiver with the email rule's own message.
        "receiver": [required(), email(), rule(subscribed, _RECEIVER_INVALID)],
        "subject": [required()],
        "message": [required_without("attachment")],
        "attachment": [required_without("message"), file_or_url(many=True)],
        "enable_unsubscribe": zero_or_one(),
        "schedule_time": [date_format("Y-m-d H:i:s")],
        "schedule_timezone": [timezone()],
        "additional_data": [json_object()],
        "from_name": [string(), max_chars(255)],
    }


def senders(state: SandboxState, request: ApiRequest) -> Response:
    """GET email/senders: the account's verified senders, one page."""
    account, fields = request.account, request.fields
    failed = validate(_SENDERS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    items = [s.to_json() for s in state.extra.senders_of(account)]
    return list_reply(request, "Email Senders", items)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(EMAIL_SEND, email_send),
    Endpoint(EMAIL_SENDERS, senders),
)
