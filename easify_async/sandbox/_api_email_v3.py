"""``POST email/send`` and ``GET email/status`` (v3).

A v3 send is accepted per recipient as v2's is: each address (to, cc, bcc) costs a
credit, enters the email ledger and gets the same signed webhook batch under the v3
``email_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from .._routes import EMAIL_V3_SEND, EMAIL_V3_STATUS
from ._extra_state import V3Email, V3Recipient
from ._php import php_string
from ._replies import failure, success, validation_error
from ._request import ApiRequest, array_field, matching, text
from ._routing import Endpoint
from ._state import SentEmail
from ._validator import (
    Rule,
    Rules,
    array,
    email,
    file_or_url,
    json_object,
    max_chars,
    max_items,
    required,
    required_without,
    rule,
    string,
    validate,
)

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["INVALID_ADDRESS", "MAX_RECIPIENTS", "ROUTES", "v3_send", "v3_status"]

MAX_RECIPIENTS = 50
INVALID_ADDRESS = "Invalid email address."
_STATUS_RULES: Rules = {"email_id": [required()]}
_KINDS = {"receiver": "to", "cc": "cc", "bcc": "bcc"}


def _send_rules(state: SandboxState) -> Rules:
    def subscribed(value: Any, _: object) -> bool:
        return matching(php_string(value), state.unsubscribed) is None

    # An unsubscribed address is refused with the email rule's own message, as v2 does.
    addresses = [email(), rule(subscribed, "The :attribute field must be a valid email address.")]
    lists: dict[str, list[Rule]] = {}
    for name in _KINDS:
        lists[name] = [
            *([required()] if name == "receiver" else []),
            array(),
            max_items(MAX_RECIPIENTS),
        ]
        lists[f"{name}.*"] = addresses
    return {
        "sender": [required()],
        **lists,
        "subject": [required()],
        "message": [required_without("attachment")],
        "attachment": [required_without("message"), file_or_url(many=True)],
        "additional_data": [json_object()],
        "from_name": [string(), max_chars(255)],
    }  # fmt: skip


def v3_send(state: SandboxState, request: ApiRequest) -> Response:
    """POST email/send (v3): one email to several recipients, CC and BCC.

    An address on the invalid list fails alone (its status: Failed, "Invalid email
    address."), costs nothing and is not sent; the others are.
    """
    account, fields = request.account, request.fields
    failed = validate(_send_rules(state), fields)
    if failed is not None:
        return validation_error(failed)
    sender = matching(php_string(fields["sender"]), account.senders)
    if sender is None:
        return failure(400, "Invalid Sender!")
    recipients = tuple(
        V3Recipient(receiver=address, recipient_type=kind)
        if matching(address, state.invalid_emails) is None
        else V3Recipient(
            receiver=address, recipient_type=kind, status="Failed", remarks=INVALID_ADDRESS
        )
        for name, kind in _KINDS.items()
        for address in array_field(fields, name) or []
    )
    accepted = [r for r in recipients if r.status == "Success"]
    if account.email_credits < len(accepted):
        return failure(
            400,
            "Sorry, you do not have enough credits to send this email. Please recharge for more.",
        )
    account.email_credits -= len(accepted)
    email_id = state.extra.next_email_id()
    state.extra.v3_emails[email_id] = V3Email(
        email_id=email_id, token=account.token, recipients=recipients
    )
    attachment = fields.get("attachment")
    attachments = attachment if isinstance(attachment, list) else [attachment]
    for recipient in accepted:
        state.accept_email(
            SentEmail(
                email_id=email_id,
                token=account.token,
                sender=sender,
                receiver=recipient.receiver,
                subject=php_string(fields["subject"]),
                message=text(fields, "message") or None,
                attachments=tuple(
                    a.filename or "file" if isinstance(a, UploadFile) else str(a)
                    for a in attachments
                    if a is not None
                ),
                enable_unsubscribe=False,
                schedule_time=None,
                schedule_timezone=None,
                additional_data=fields.get("additional_data"),
                from_name=text(fields, "from_name") or None,
                accepted_at=state.clock(),
                sent_on=state.wall_clock(),
            ),
            account,
        )
    return success("Email processed successfully", {"email_id": email_id})


def v3_status(state: SandboxState, request: ApiRequest) -> Response:
    """GET email/status (v3): one item per recipient; ``email_id`` an int, as documented."""
    account, fields = request.account, request.fields
    failed = validate(_STATUS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    email_id, receiver = text(fields, "email_id"), text(fields, "receiver")
    sent = state.extra.v3_emails.get(email_id)
    if sent is None or sent.token != account.token:
        return failure(400, "Failed to fetch Email Status, please check your Email ID!")
    items = [
        {
            "email_item_id": r.email_item_id,
            "email_id": int(sent.email_id),
            "receiver": r.receiver,
            "recipient_type": r.recipient_type,
            "status": r.status,
            "remarks": r.remarks,
        }
        for r in sent.recipients
        if not receiver or r.receiver == receiver
    ]
    return success("Email status successfully fetched", items)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(EMAIL_V3_SEND, v3_send),
    Endpoint(EMAIL_V3_STATUS, v3_status),
)
