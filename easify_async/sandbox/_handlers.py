"""The three endpoints' own rules, applied after auth, throttle, subscription and plan.

Within an endpoint the checks run in this order, and the first that fails answers:
required fields and their format (422, and the 400 for a missing ``country_code``), then
the business rules (400), then the send is accepted (200).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from ._replies import COUNTRY_MESSAGE, failure, field_error, success
from ._state import Account, SentEmail, SentSms

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["email_send", "sms_send", "sms_status"]

# Deliberately not the client's own checks (_validation.py): the sandbox stands in for the
# server, so a mistake in the client's validation must show up here, not pass twice.
COUNTRY_CODES = {"+1": range(10, 11), "+44": range(9, 11), "+972": range(8, 10)}
_DIGITS = re.compile(r"\d+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if isinstance(value, UploadFile) or value is None:
        return ""
    return str(value).strip()


def _flag(fields: dict[str, Any], name: str) -> bool:
    return str(fields.get(name, "")).strip().lower() in ("1", "true")


def sms_send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST sms/send."""
    from_number = _text(fields, "from_number")
    to_number = _text(fields, "to_number")
    country_code = _text(fields, "country_code")
    message = _text(fields, "message")
    media = fields.get("media")
    if not from_number:
        return field_error(
            "from_number", "The from number is required.", outer="The from_number is required."
        )
    if not country_code:
        return field_error("country_code", "The country code field is required.", status=400)
    if country_code not in COUNTRY_CODES:
        return field_error("country_code", COUNTRY_MESSAGE)
    if not to_number:
        return field_error("to_number", "The to number field is required.")
    if not message and not media:
        return field_error("message", "The message field is required when media is not present.")
    if from_number not in account.from_numbers:
        return failure(400, "Selected from number is invalid")
    if not _DIGITS.fullmatch(to_number) or len(to_number) not in COUNTRY_CODES[country_code]:
        return failure(400, "InvalidRecipient!")
    if f"{country_code}{to_number}" in sandbox.blacklist:
        return failure(400, " Sorry, this recipient is blacklisted! ")
    if account.credits < 1:
        return failure(
            400, "Sorry, you do not have enough credits to send this SMS. Please recharge for more."
        )
    account.credits -= 1
    force = _flag(fields, "force_send")
    sent = SentSms(
        sms_id=sandbox.next_sms_id(),
        token=account.token,
        from_number=from_number,
        to_number=to_number,
        country_code=country_code,
        message=message or None,
        media=media.filename if isinstance(media, UploadFile) else (str(media) if media else None),
        lead_id=_text(fields, "lead_id") or None,
        force_send=force,
        scheduled=not force and not sandbox.open_now(),
        accepted_at=sandbox.clock(),
        delivery=sandbox.delivery_for(f"{country_code}{to_number}"),
    )
    sandbox.accept_sms(sent, account)
    return success(" SMS Processed successfully.", {"sms_id": sent.sms_id})


def sms_status(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/status."""
    sms_id = _text(fields, "sms_id")
    if not sms_id:
        return field_error("sms_id", "The sms id field is required.")
    sent = sandbox.find_sms(account, sms_id)
    if sent is None:
        return failure(400, "Failed to fetch SMS Status, please check your SMS ID!")
    status, remarks = sandbox.status_of(sent)
    return success("SMS status successfully fetched", {"status": status.value, "remarks": remarks})


def email_send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST email/send (v2)."""
    sender = _text(fields, "sender")
    receiver = _text(fields, "receiver")
    subject = _text(fields, "subject")
    message = _text(fields, "message")
    attachments = [v for k, v in fields.items() if k.startswith("attachment") and v]
    for name, value in (("sender", sender), ("receiver", receiver), ("subject", subject)):
        if not value:
            return field_error(name, f"The {name} field is required.")
    if not message and not attachments:
        return field_error(
            "message", "The message field is required when attachment is not present."
        )
    receiver_invalid = "The receiver field must be a valid email address."
    if not _EMAIL.fullmatch(receiver) or receiver in sandbox.unsubscribed:
        return field_error("receiver", receiver_invalid)
    if sender not in account.senders:
        return failure(400, "Invalid Sender!")
    if receiver in sandbox.invalid_emails:
        return failure(400, "Invalid email address.")
    if account.credits < 1:
        return failure(
            400,
            "Sorry, you do not have enough credits to send this email. Please recharge for more.",
        )
    account.credits -= 1
    sent = SentEmail(
        email_id=secrets.token_hex(12),
        token=account.token,
        sender=sender,
        receiver=receiver,
        subject=subject,
        message=message or None,
        attachments=tuple(
            a.filename or "file" if isinstance(a, UploadFile) else str(a) for a in attachments
        ),
        enable_unsubscribe=_flag(fields, "enable_unsubscribe"),
        schedule_time=_text(fields, "schedule_time") or None,
        schedule_timezone=_text(fields, "schedule_timezone") or None,
        additional_data=fields.get("additional_data"),
        from_name=_text(fields, "from_name") or None,
        accepted_at=sandbox.clock(),
        sent_on=sandbox.wall_clock(),
    )
    sandbox.accept_email(sent, account)
    return success("Email processed successfully", {"email_id": sent.email_id})
