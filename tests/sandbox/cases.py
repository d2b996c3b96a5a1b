"""Every documented case of the three docs pages, as data: setup, request, reply, error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from easify_async import (
    APIError,
    AuthenticationError,
    BlacklistedRecipientError,
    InsufficientCreditsError,
    InvalidEmailAddressError,
    InvalidRecipientError,
    InvalidSenderError,
    InvalidSmsIdError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Sandbox
from tests.sandbox.conftest import FakeClock

COUNTRY = (
    "Currently, this service is only available in the following countries: Canada, United "
    "States, Israel, United Kingdom. Please verify the country code."
)
PLAN = (
    "Access denied. Your current plan does not allow access to this feature. Please upgrade "
    "to the Enterprise plan."
)
SMS = {
    "from_number": DEMO_FROM_NUMBER,
    "to_number": "3151350000",
    "country_code": "+1",
    "message": "Hai",
}
EMAIL = {
    "sender": DEMO_SENDER,
    "receiver": "receiver@easify.app",
    "subject": "Test Subject",
    "message": "Message",
}


def failure(message: str) -> dict[str, Any]:
    return {"status": False, "message": message, "errors": []}


def nothing(sandbox: Sandbox) -> None:
    """No setup."""


def unsubscribed(sandbox: Sandbox) -> None:
    sandbox.account().subscribed = False


def not_enterprise(sandbox: Sandbox) -> None:
    sandbox.account().enterprise = False


def broke(sandbox: Sandbox) -> None:
    sandbox.account().sms_credits = sandbox.account().email_credits = 0


def blacklisted(sandbox: Sandbox) -> None:
    sandbox.blacklist.add("+13151350000")


def receiver_unsubscribed(sandbox: Sandbox) -> None:
    sandbox.unsubscribed.add("receiver@easify.app")


def zerobounce(sandbox: Sandbox) -> None:
    sandbox.invalid_emails.add("receiver@easify.app")


def window_full(sandbox: Sandbox) -> None:
    """Every window filled at 1000.5 (ending at 1060), asked again 0.7 s later: 59 s left."""
    assert isinstance(sandbox.clock, FakeClock)
    sandbox.clock.now = 1000.5
    for _ in range(15):
        sandbox.throttle.hit(f"{DEMO_TOKEN}:sms_send", 15)
    for _ in range(15):
        sandbox.throttle.hit(f"{DEMO_TOKEN}:email_send", 15)
    for _ in range(60):
        sandbox.throttle.hit(f"{DEMO_TOKEN}:sms_status", 60)
    sandbox.clock.advance(0.7)


@frozen
class Case:
    """One documented row: how to provoke it, what the server answers, what the client raises."""

    id: str
    endpoint: str  # "sms", "email", "status"
    fields: dict[str, Any]
    status: int
    body: dict[str, Any]
    error: type[APIError]
    setup: Callable[[Sandbox], None] = nothing
    token: str = DEMO_TOKEN


def without(fields: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != name}


CASES = [
    # sms/send (docs/sms-send.txt)
    Case(
        "sms-401", "sms", SMS, 401, failure("Unauthenticated"), AuthenticationError, token="1|wrong"
    ),
    Case(
        "sms-422-from",
        "sms",
        without(SMS, "from_number"),
        422,
        {
            "message": "The from_number is required.",
            "errors": {"from_number": ["The from number is required."]},
        },
        ValidationError,
    ),
    Case(
        "sms-400-from",
        "sms",
        {**SMS, "from_number": "3159999999"},
        400,
        failure("Selected from number is invalid"),
        InvalidSenderError,
    ),
    Case(
        "sms-400-recipient",
        "sms",
        {**SMS, "to_number": "31513"},
        400,
        failure("InvalidRecipient!"),
        InvalidRecipientError,
    ),
    Case(
        "sms-400-blacklisted",
        "sms",
        SMS,
        400,
        failure(" Sorry, this recipient is blacklisted! "),
        BlacklistedRecipientError,
        blacklisted,
    ),
    Case(
        "sms-400-credits",
        "sms",
        SMS,
        400,
        failure(
            "Sorry, you do not have enough credits to send this SMS. Please recharge for more."
        ),
        InsufficientCreditsError,
        broke,
    ),
    Case(
        "sms-422-country",
        "sms",
        {**SMS, "country_code": "+33"},
        422,
        {"message": COUNTRY, "errors": {"country_code": [COUNTRY]}},
        ValidationError,
    ),
    Case(
        "sms-400-no-country",
        "sms",
        without(SMS, "country_code"),
        400,
        {
            "message": "The country code field is required.",
            "errors": {"country_code": ["The country code field is required."]},
        },
        ValidationError,
    ),
    Case(
        "sms-429",
        "sms",
        SMS,
        429,
        failure("Too many requests. Try again in 59 seconds"),
        RateLimitError,
        window_full,
    ),
    Case(
        "sms-402",
        "sms",
        SMS,
        402,
        failure("You need to recharge your account to proceed"),
        PaymentRequiredError,
        unsubscribed,
    ),
    Case("sms-403", "sms", SMS, 403, failure(PLAN), PermissionDeniedError, not_enterprise),
    # sms/status (docs/sms-status.txt)
    Case(
        "status-401",
        "status",
        {"sms_id": "31500"},
        401,
        failure("Unauthenticated"),
        AuthenticationError,
        token="1|wrong",
    ),
    Case(
        "status-422",
        "status",
        {},
        422,
        {
            "message": "The sms id field is required.",
            "errors": {"sms_id": ["The sms id field is required."]},
        },
        ValidationError,
    ),
    Case(
        "status-400",
        "status",
        {"sms_id": "999"},
        400,
        failure("Failed to fetch SMS Status, please check your SMS ID!"),
        InvalidSmsIdError,
    ),
    Case(
        "status-429",
        "status",
        {"sms_id": "31500"},
        429,
        failure("Too many requests. Try again in 59 seconds"),
        RateLimitError,
        window_full,
    ),
    Case(
        "status-402",
        "status",
        {"sms_id": "31500"},
        402,
        failure("You need to recharge your account to proceed"),
        PaymentRequiredError,
        unsubscribed,
    ),
    Case(
        "status-403",
        "status",
        {"sms_id": "31500"},
        403,
        failure(PLAN),
        PermissionDeniedError,
        not_enterprise,
    ),
    # email/send (docs/email-send.txt)
    Case(
        "email-401",
        "email",
        EMAIL,
        401,
        failure("Unauthenticated"),
        AuthenticationError,
        token="1|wrong",
    ),
    Case(
        "email-400-sender",
        "email",
        {**EMAIL, "sender": "who@nowhere.test"},
        400,
        failure("Invalid Sender!"),
        InvalidSenderError,
    ),
    Case(
        "email-400-zerobounce",
        "email",
        EMAIL,
        400,
        failure("Invalid email address."),
        InvalidEmailAddressError,
        zerobounce,
    ),
    Case(
        "email-400-credits",
        "email",
        EMAIL,
        400,
        failure(
            "Sorry, you do not have enough credits to send this email. Please recharge for more."
        ),
        InsufficientCreditsError,
        broke,
    ),
    Case(
        "email-422-unsubscribed",
        "email",
        EMAIL,
        422,
        {
            "message": "The receiver field must be a valid email address.",
            "errors": {"receiver": ["The receiver field must be a valid email address."]},
        },
        ValidationError,
        receiver_unsubscribed,
    ),
    Case("email-403", "email", EMAIL, 403, failure(PLAN), PermissionDeniedError, not_enterprise),
    Case(
        "email-429",
        "email",
        EMAIL,
        429,
        failure("Too many requests. Try again in 59 seconds"),
        RateLimitError,
        window_full,
    ),
    Case(
        "email-402",
        "email",
        EMAIL,
        402,
        failure("You need to recharge your account to proceed"),
        PaymentRequiredError,
        unsubscribed,
    ),
]
