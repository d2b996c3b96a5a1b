"""``GET email/senders`` (v2), ``POST email/send`` and ``GET email/status`` (v3).

A v3 send is accepted per recipient as v2's is: each address (to, cc, bcc) costs a
credit, enters the email ledger and gets the same signed webhook batch under the v3
``email_id``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from ._api_fields import list_reply, text
from ._extra_state import V3Email, V3Recipient
from ._replies import failure, field_error, success
from ._state import Account, SentEmail

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["MAX_RECIPIENTS", "array_field", "senders", "v3_send", "v3_status"]

MAX_RECIPIENTS = 50
# Not the client's check (see _handlers.py): the server's rule stands on its own.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def senders(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET email/senders: the account's verified senders, one page."""
    items = [s.to_json() for s in sandbox.extra.senders_of(account)]
    return list_reply(fields, "Email Senders", items)


def array_field(fields: dict[str, Any], name: str) -> list[str] | None:
    """A JSON list, multipart ``name[]`` fields (``name[N]`` keys), a lone string, or None."""
    value = fields.get(name)
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    if isinstance(value, str):
        return [value.strip()]
    listed = [str(v).strip() for k, v in fields.items() if k.startswith(f"{name}[")]
    return listed or None


def _addresses(fields: dict[str, Any], name: str) -> list[str] | Response:
    values = array_field(fields, name) or []
    if len(values) > MAX_RECIPIENTS:
        return field_error(name, f"The {name} field must not have more than 50 items.")
    for index, value in enumerate(values):
        if not _EMAIL.fullmatch(value):
            return field_error(
                f"{name}.{index}", f"The {name}.{index} field must be a valid email address."
            )
    return values


def v3_send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST email/send (v3): one email to several recipients, CC and BCC."""
    sender, subject, message = (text(fields, n) for n in ("sender", "subject", "message"))
    attachments = [v for k, v in fields.items() if k.startswith("attachment") and v]
    if not sender:
        return field_error("sender", "The sender field is required.")
    if not array_field(fields, "receiver"):
        return field_error("receiver", "The receiver field is required.")
    lists: dict[str, list[str]] = {}
    for name in ("receiver", "cc", "bcc"):
        checked = _addresses(fields, name)
        if isinstance(checked, Response):
            return checked
        lists[name] = checked
    if not subject:
        return field_error("subject", "The subject field is required.")
    if not message and not attachments:
        return field_error(
            "message", "The message field is required when attachment is not present."
        )
    if sender not in account.senders:
        return failure(400, "Invalid Sender!")
    kinds = {"receiver": "to", "cc": "cc", "bcc": "bcc"}
    recipients = tuple(
        V3Recipient(receiver=address, recipient_type=kinds[name])
        for name, addresses in lists.items()
        for address in addresses
    )
    if any(r.receiver in sandbox.invalid_emails for r in recipients):
        return failure(400, "Invalid email address.")
    if account.email_credits < len(recipients):
        return failure(
            400,
            "Sorry, you do not have enough credits to send this email. Please recharge for more.",
        )
    account.email_credits -= len(recipients)
    email_id = sandbox.extra.next_email_id()
    sandbox.extra.v3_emails[email_id] = V3Email(
        email_id=email_id, token=account.token, recipients=recipients
    )
    for recipient in recipients:
        sandbox.accept_email(
            SentEmail(
                email_id=email_id,
                token=account.token,
                sender=sender,
                receiver=recipient.receiver,
                subject=subject,
                message=message or None,
                attachments=tuple(
                    a.filename or "file" if isinstance(a, UploadFile) else str(a)
                    for a in attachments
                ),
                enable_unsubscribe=False,
                schedule_time=None,
                schedule_timezone=None,
                additional_data=fields.get("additional_data"),
                from_name=text(fields, "from_name") or None,
                accepted_at=sandbox.clock(),
                sent_on=sandbox.wall_clock(),
            ),
            account,
        )
    return success("Email processed successfully", {"email_id": email_id})


def v3_status(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET email/status (v3): one item per recipient; ``email_id`` an int, as documented."""
    email_id, receiver = text(fields, "email_id"), text(fields, "receiver")
    if not email_id:
        return field_error("email_id", "The email id field is required.")
    sent = sandbox.extra.v3_emails.get(email_id)
    if sent is None or sent.token != account.token:
        return failure(400, "Failed to fetch Email Status, please check your Email ID!")
    items = [
        {
            "email_item_id": r.email_item_id,
            "email_id": int(sent.email_id),
            "receiver": r.receiver,
            "recipient_type": r.recipient_type,
            "status": "Success",
            "remarks": "success",
        }
        for r in sent.recipients
        if not receiver or r.receiver == receiver
    ]
    return success("Email status successfully fetched", items)
