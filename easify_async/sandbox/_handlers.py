"""The three seed endpoints' own rules, applied after auth, throttle, subscription and plan.

Within an endpoint the checks run in this order, and the first stage that fails answers:

1. ``sms/send`` only: a missing ``country_code`` is a 400 of its own, before anything
   else. The docs answer it 400 in Laravel's validation shape with that one field, which
   a Laravel validator never does by itself (it throws a 422): the app must validate the
   country code alone first and answer 400. It has to come first, because the country
   decides what a valid ``to_number`` is. So with ``to_number`` (or any other field)
   missing as well, the answer is that 400 with only ``country_code`` in it.
2. The validator (422): every field in the order of the docs' parameter table, every
   failing rule listed, Laravel's summary message (see ``_validator``).
3. The business rules (400), in the order of the docs' error table, then the send is
   accepted (200).

Deliberately not the client's own checks (_validation.py): the sandbox stands in for the
server, so a mistake in the client's validation must show up here, not pass twice.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from ._api_fields import matching
from ._phones import COUNTRY_CODES, listed_country_code, owned_number, recipient_number
from ._php import filter_int, php_string
from ._replies import COUNTRY_MESSAGE, failure, success, validation_error
from ._state import Account, SentEmail, SentSms
from ._validator import (
    Rules,
    date_format,
    email,
    file_or_url,
    in_,
    integer,
    json_object,
    max_chars,
    required,
    required_without,
    rule,
    string,
    timezone,
    validate,
)

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["email_send", "sms_send", "sms_status"]

_COUNTRY_PRESENT: Rules = {"country_code": [required()]}
# force_send / enable_unsubscribe: "integer ... 1 for enable, Default 0" in the docs.
_ZERO_OR_ONE = [integer(), in_("0", "1")]
_SMS_RULES: Rules = {
    # The docs' top-level message for this one differs from the field's message.
    "from_number": [
        required().says("The from number is required.", summary="The from_number is required.")
    ],
    "to_number": [required()],
    "message": [required_without("media")],
    "media": [required_without("message"), file_or_url()],
    "country_code": [in_(*COUNTRY_CODES).says(COUNTRY_MESSAGE)],
    "force_send": _ZERO_OR_ONE,
}
_STATUS_RULES: Rules = {"sms_id": [required()]}
_RECEIVER_INVALID = "The receiver field must be a valid email address."


def sms_send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST sms/send."""
    missing = validate(_COUNTRY_PRESENT, fields)
    if missing is not None:
        return validation_error(missing, status=400)
    failed = validate(_SMS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    # The in: rule compares loosely ("1" == "+1"), so the code is read back from its list.
    country_code = listed_country_code(fields["country_code"])
    assert country_code is not None  # the in: rule passed
    from_number = owned_number(php_string(fields["from_number"]), account.from_numbers)
    if from_number is None:
        return failure(400, "Selected from number is invalid")
    to_number = recipient_number(php_string(fields["to_number"]), country_code)
    receiver = f"{country_code}{to_number}"
    if to_number is None or receiver in sandbox.invalid_recipients:
        return failure(400, "InvalidRecipient!")
    if receiver in sandbox.blacklist:
        return failure(400, " Sorry, this recipient is blacklisted! ")
    if account.sms_credits < 1:
        return failure(
            400, "Sorry, you do not have enough credits to send this SMS. Please recharge for more."
        )
    account.sms_credits -= 1
    force = _flag(fields.get("force_send"))
    media = fields.get("media")
    sent = SentSms(
        sms_id=sandbox.next_sms_id(),
        token=account.token,
        from_number=from_number,
        to_number=to_number,
        country_code=country_code,
        message=_text(fields.get("message")),
        media=media.filename if isinstance(media, UploadFile) else _text(media),
        lead_id=_text(fields.get("lead_id")),
        force_send=force,
        scheduled=not force and not sandbox.open_now(),
        accepted_at=sandbox.clock(),
        delivery=sandbox.delivery_for(receiver),
    )
    sandbox.accept_sms(sent, account)
    return success(" SMS Processed successfully.", {"sms_id": sent.sms_id})


def sms_status(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET sms/status."""
    failed = validate(_STATUS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    sent = sandbox.find_sms(account, php_string(fields["sms_id"]))
    if sent is None:
        return failure(400, "Failed to fetch SMS Status, please check your SMS ID!")
    status, remarks = sandbox.status_of(sent)
    return success("SMS status successfully fetched", {"status": status.value, "remarks": remarks})


def email_send(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST email/send (v2)."""
    failed = validate(_email_rules(sandbox), fields)
    if failed is not None:
        return validation_error(failed)
    sender = matching(php_string(fields["sender"]), account.senders)
    if sender is None:
        return failure(400, "Invalid Sender!")
    receiver = php_string(fields["receiver"])
    if matching(receiver, sandbox.invalid_emails) is not None:
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
        message=_text(fields.get("message")),
        attachments=tuple(
            a.filename or "file" if isinstance(a, UploadFile) else str(a)
            for a in attachments
            if a is not None
        ),
        enable_unsubscribe=_flag(fields.get("enable_unsubscribe")),
        schedule_time=_text(fields.get("schedule_time")),
        schedule_timezone=_text(fields.get("schedule_timezone")),
        additional_data=fields.get("additional_data"),
        from_name=_text(fields.get("from_name")),
        accepted_at=sandbox.clock(),
        sent_on=sandbox.wall_clock(),
    )
    sandbox.accept_email(sent, account)
    return success("Email processed successfully", {"email_id": sent.email_id})


def _email_rules(sandbox: Sandbox) -> Rules:
    def subscribed(value: Any, _: object) -> bool:
        return matching(php_string(value), sandbox.unsubscribed) is None

    return {
        "sender": [required()],
        # The docs answer an unsubscribed receiver with the email rule's own message.
        "receiver": [required(), email(), rule(subscribed, _RECEIVER_INVALID)],
        "subject": [required()],
        "message": [required_without("attachment")],
        "attachment": [required_without("message"), file_or_url(many=True)],
        "enable_unsubscribe": _ZERO_OR_ONE,
        "schedule_time": [date_format("Y-m-d H:i:s")],
        "schedule_timezone": [timezone()],
        "additional_data": [json_object()],
        "from_name": [string(), max_chars(255)],
    }


def _text(value: Any) -> str | None:
    return None if value is None else php_string(value)


def _flag(value: Any) -> bool:
    return bool(filter_int(value)) if value is not None else False
