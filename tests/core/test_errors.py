"""Every documented error reply, and garbage, becomes the right typed error."""

from __future__ import annotations

import httpx
import pytest

from easify_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncEasify,
    AuthenticationError,
    BadRequestError,
    BlacklistedRecipientError,
    InsufficientCreditsError,
    InvalidEmailAddressError,
    InvalidRecipientError,
    InvalidSenderError,
    InvalidSmsIdError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from tests.fakes import Recorder, reply

pytestmark = pytest.mark.anyio


def failure(message: str, **extra: object) -> dict[str, object]:
    return {"status": False, "message": message, "errors": [], **extra}


PLAN = (
    "Access denied. Your current plan does not allow access to this feature. "
    "Please upgrade to the Enterprise plan."
)
COUNTRY = (
    "Currently, this service is only available in the following countries: Canada, "
    "United States, Israel, United Kingdom. Please verify the country code."
)

# (id, endpoint, status, body, expected class, expected message, expected field errors)
CASES = [
    ("401", "sms", 401, failure("Unauthenticated"), AuthenticationError, "Unauthenticated", {}),
    (
        "402",
        "email",
        402,
        failure("You need to recharge your account to proceed"),
        PaymentRequiredError,
        "You need to recharge your account to proceed",
        {},
    ),
    ("403", "status", 403, failure(PLAN), PermissionDeniedError, PLAN, {}),
    (
        "422-from",
        "sms",
        422,
        {
            "message": "The from_number is required.",
            "errors": {"from_number": ["The from number is required."]},
        },
        ValidationError,
        "The from_number is required.",
        {"from_number": ["The from number is required."]},
    ),
    (
        "422-country",
        "sms",
        422,
        {"message": COUNTRY, "errors": {"country_code": [COUNTRY]}},
        ValidationError,
        COUNTRY,
        {"country_code": [COUNTRY]},
    ),
    (
        "400-missing-country",
        "sms",
        400,
        {
            "message": "The country code field is required.",
            "errors": {"country_code": ["The country code field is required."]},
        },
        ValidationError,
        "The country code field is required.",
        {"country_code": ["The country code field is required."]},
    ),
    (
        "400-from",
        "sms",
        400,
        failure("Selected from number is invalid"),
        InvalidSenderError,
        "Selected from number is invalid",
        {},
    ),
    (
        "400-recipient",
        "sms",
        400,
        failure("InvalidRecipient!"),
        InvalidRecipientError,
        "InvalidRecipient!",
        {},
    ),
    (
        "400-blacklisted",
        "sms",
        400,
        failure(" Sorry, this recipient is blacklisted! "),
        BlacklistedRecipientError,
        "Sorry, this recipient is blacklisted!",
        {},
    ),
    (
        "400-credits-sms",
        "sms",
        400,
        failure(
            "Sorry, you do not have enough credits to send this SMS. Please recharge for more."
        ),
        InsufficientCreditsError,
        "Sorry, you do not have enough credits to send this SMS. Please recharge for more.",
        {},
    ),
    (
        "400-sender",
        "email",
        400,
        failure("Invalid Sender!"),
        InvalidSenderError,
        "Invalid Sender!",
        {},
    ),
    (
        "400-zerobounce",
        "email",
        400,
        failure("Invalid email address."),
        InvalidEmailAddressError,
        "Invalid email address.",
        {},
    ),
    (
        "400-credits-email",
        "email",
        400,
        failure(
            "Sorry, you do not have enough credits to send this email. Please recharge for more."
        ),
        InsufficientCreditsError,
        "Sorry, you do not have enough credits to send this email. Please recharge for more.",
        {},
    ),
    (
        "422-unsubscribed",
        "email",
        422,
        {
            "message": "The receiver field must be a valid email address.",
            "errors": {"receiver": ["The receiver field must be a valid email address."]},
        },
        ValidationError,
        "The receiver field must be a valid email address.",
        {"receiver": ["The receiver field must be a valid email address."]},
    ),
    (
        "422-sms-id",
        "status",
        422,
        {
            "message": "The sms id field is required.",
            "errors": {"sms_id": ["The sms id field is required."]},
        },
        ValidationError,
        "The sms id field is required.",
        {"sms_id": ["The sms id field is required."]},
    ),
    (
        "400-sms-id",
        "status",
        400,
        failure("Failed to fetch SMS Status, please check your SMS ID!"),
        InvalidSmsIdError,
        "Failed to fetch SMS Status, please check your SMS ID!",
        {},
    ),
    ("400-other", "sms", 400, failure("Something new"), BadRequestError, "Something new", {}),
    ("500", "status", 500, failure("Server Error"), ServerError, "Server Error", {}),
    ("404", "sms", 404, failure("Not Found"), APIError, "Not Found", {}),
]


async def call(easify: AsyncEasify, endpoint: str) -> object:
    if endpoint == "sms":
        return await easify.sms.send("3152930000", "+13151350000", message="hi")
    if endpoint == "email":
        return await easify.email.send("qa@example.com", "ann@example.com", "Hi", message="x")
    return await easify.sms.status("315")


@pytest.mark.parametrize(
    ("endpoint", "status", "body", "error", "message", "fields"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
async def test_documented_error_maps_to_its_class(
    endpoint: str, status: int, body: object, error: type[APIError], message: str, fields: object
) -> None:
    """Each documented (status, body) raises its own class with message and field errors."""
    recorder = Recorder(default=reply(status, body))
    async with AsyncEasify(
        "t", transport=recorder.transport(), rate_limits=None, max_retries=0
    ) as easify:
        with pytest.raises(error) as caught:
            await call(easify, endpoint)
    assert type(caught.value) is error
    assert caught.value.status_code == status
    assert caught.value.message == message
    assert caught.value.errors == fields
    assert caught.value.response is not None


async def test_429_gives_rate_limit_error_with_wait_from_the_body() -> None:
    """Without Retry-After the wait is read from "Try again in N seconds", plus a second."""
    recorder = Recorder(default=reply(429, failure("Too many requests. Try again in 59 seconds")))
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(RateLimitError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert caught.value.retry_after == 60.0
    assert caught.value.message == "Too many requests. Try again in 59 seconds"


INVALID_SMS_ID_SAMPLE = (
    '{\n"status":false"\nmessage":"Failed to fetch SMS Status, please check your SMS ID!",\n'
    '"errors": []\n}'
)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        pytest.param(
            502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ServerError, id="html-502"
        ),
        pytest.param(200, '{"status": true, "message": "ok", "da', APIError, id="truncated-200"),
        pytest.param(200, "<html>maintenance</html>", APIError, id="html-200"),
        pytest.param(200, '{"status": false, "message": "odd"}', APIError, id="status-false-200"),
        pytest.param(
            200,
            '{"status": true, "message": "ok", "data": {"sms_id": null}}',
            APIError,
            id="null-id",
        ),
        pytest.param(
            200, '{"status": true, "message": "ok", "data": []}', APIError, id="list-data"
        ),
        pytest.param(400, INVALID_SMS_ID_SAMPLE, InvalidSmsIdError, id="docs-malformed-sms-id"),
        pytest.param(400, b"\xff\xfe garbage", BadRequestError, id="binary-400"),
        pytest.param(401, "", AuthenticationError, id="empty-401"),
    ],
)
async def test_garbage_replies_become_api_errors_with_the_raw_text(
    status: int, body: str | bytes, error: type[APIError]
) -> None:
    """HTML, truncated or ill-shaped bodies raise an APIError that keeps the raw text."""
    recorder = Recorder(default=reply(status, body, **{"content-type": "text/html"}))
    async with AsyncEasify(
        "t", transport=recorder.transport(), rate_limits=None, max_retries=0
    ) as easify:
        with pytest.raises(error) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    assert caught.value.body == raw
    assert caught.value.status_code == status


@pytest.mark.parametrize(
    ("exc", "error", "maybe_sent"),
    [
        pytest.param(httpx.ConnectError("refused"), APIConnectionError, False, id="connect"),
        pytest.param(httpx.ConnectTimeout("slow"), APITimeoutError, False, id="connect-timeout"),
        pytest.param(httpx.PoolTimeout("pool"), APITimeoutError, False, id="pool-timeout"),
        pytest.param(httpx.ReadTimeout("read"), APITimeoutError, True, id="read-timeout"),
        pytest.param(httpx.WriteTimeout("write"), APITimeoutError, True, id="write-timeout"),
        pytest.param(httpx.RemoteProtocolError("dropped"), APIConnectionError, True, id="dropped"),
        pytest.param(httpx.ReadError("reset"), APIConnectionError, True, id="read-error"),
    ],
)
async def test_transport_failures_say_whether_the_send_may_have_gone(
    exc: Exception, error: type[APIConnectionError], maybe_sent: bool
) -> None:
    """Connection failures are typed and carry maybe_sent, with the httpx error as cause."""
    recorder = Recorder(answers=[exc])
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(error) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert type(caught.value) is error
    assert caught.value.maybe_sent is maybe_sent
    assert caught.value.__cause__ is exc
    assert ("may have been sent" in str(caught.value)) is maybe_sent
