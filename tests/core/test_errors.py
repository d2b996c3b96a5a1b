"""Every documented error reply, and garbage, becomes the right typed error."""

from __future__ import annotations

import logging

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
    LimiterUnavailableError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from easify_async._transports._bounded import ReplyRefused
from tests._leaks import assert_no_token
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


async def test_a_transport_timing_out_in_pythons_terms_is_an_api_timeout() -> None:
    """A transport below raising the builtin TimeoutError (a socket's, anyio's) is an
    APITimeoutError too, never a bare TimeoutError out of a call."""
    timed_out = TimeoutError("timed out")
    recorder = Recorder(answers=[timed_out])
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(APITimeoutError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert caught.value.maybe_sent is True
    assert caught.value.__cause__.__cause__ is timed_out  # type: ignore[union-attr]


REFUSALS = [400, 401, 402, 403, 404, 422, 429]


@pytest.mark.parametrize(
    ("status", "body", "maybe_sent"),
    [
        *[pytest.param(s, failure("no"), False, id=f"{s}") for s in REFUSALS],
        *[pytest.param(s, "<html>down</html>", False, id=f"{s}-html") for s in REFUSALS],
        pytest.param(500, failure("Server Error"), True, id="500"),
        pytest.param(502, "<html>Bad Gateway</html>", True, id="502-html"),
        pytest.param(503, b"", True, id="503-empty"),
        pytest.param(200, "<html>ok</html>", True, id="200-html"),
        pytest.param(201, failure("odd"), True, id="201-status-false"),
        pytest.param(302, "", True, id="302"),
        pytest.param(
            200, {"status": True, "message": "ok", "data": {"sms_id": []}}, True, id="200-misfit"
        ),
        pytest.param(200, b"[" * 100_000, True, id="200-deep-json"),
    ],
)
async def test_every_api_error_of_a_send_says_whether_it_may_have_gone(
    status: int, body: object, maybe_sent: bool
) -> None:
    """maybe_sent is False for a 4xx refusal, True for 5xx and undocumented 2xx/3xx."""
    recorder = Recorder(default=reply(status, body))
    async with AsyncEasify(
        "t", transport=recorder.transport(), rate_limits=None, max_retries=0
    ) as easify:
        with pytest.raises(APIError) as caught:
            await call(easify, "sms")
    assert caught.value.maybe_sent is maybe_sent
    assert caught.value.status_code == status


async def test_a_body_that_does_not_decode_is_an_api_error() -> None:
    """Content-Encoding: gzip on a body that is not gzip is an APIError, not DecodingError."""
    recorder = Recorder(
        default=httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"plain")
        )
    )
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(APIError) as caught:
            await call(easify, "sms")
    assert "does not decode as Content-Encoding 'gzip'" in str(caught.value)
    assert caught.value.maybe_sent
    assert isinstance(caught.value.__cause__, ReplyRefused)


TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3081234"
ECHOES = [
    pytest.param(401, f"<html>Authorization: Bearer {TOKEN}</html>", id="html-401"),
    pytest.param(500, failure(f"bad header Bearer {TOKEN}"), id="json-message-500"),
    pytest.param(
        422, {"message": "bad", "errors": {"token": [f"{TOKEN} is invalid"]}}, id="field-errors"
    ),
    pytest.param(400, f"token=1087%7C{TOKEN.partition('|')[2]}", id="url-encoded"),
    pytest.param(502, f"<p>{TOKEN.partition('|')[2]}</p>", id="secret-half"),
    pytest.param(200, f'{{"status": true, "data": "{TOKEN}"}}', id="misfit-200"),
]


@pytest.mark.parametrize(("status", "body"), ECHOES)
async def test_an_echoed_token_is_scrubbed_from_every_quote(
    status: int, body: object, caplog: pytest.LogCaptureFixture
) -> None:
    """A page reflecting the Authorization header never puts the token in str, body, errors,
    nor in a traceback showing locals."""
    caplog.set_level(logging.DEBUG, logger="easify_async")
    recorder = Recorder(default=reply(status, body))
    async with AsyncEasify(TOKEN, transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(APIError) as caught:
            await call(easify, "sms")
    secret = TOKEN.partition("|")[2]
    quoted = [str(caught.value), caught.value.body, repr(caught.value.errors), caplog.text]
    assert not [q for q in quoted if secret in q]
    assert "[redacted]" in str(caught.value) + caught.value.body
    assert_no_token(caught.value, TOKEN)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"message": "The route api/sms/send could not be found."}, id="laravel"),
        pytest.param("<html><title>404 Not Found</title></html>", id="html"),
    ],
)
async def test_a_404_that_is_no_api_reply_points_at_the_base_url(body: object) -> None:
    """Laravel's route-not-found or an HTML 404 says the base URL should end in /api/v2."""
    recorder = Recorder(default=reply(404, body))
    async with AsyncEasify(
        "t", base_url="http://127.0.0.1:9/api", transport=recorder.transport()
    ) as easify:
        with pytest.raises(APIError) as caught:
            await call(easify, "sms")
    assert "http://127.0.0.1:9/api/sms/send is not an Easify API route" in str(caught.value)
    assert "ends in /api/v2" in str(caught.value)
    assert caught.value.maybe_sent is False


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        pytest.param(httpx.ReadTimeout("read"), "a read changes nothing", id="read-timeout"),
        pytest.param(httpx.ConnectError("refused"), "never reached the server", id="connect"),
    ],
)
async def test_a_failed_read_says_what_happened_to_the_read(exc: Exception, says: str) -> None:
    """A status call's connection error never says a message may have been sent."""
    recorder = Recorder(default=None, answers=[exc] * 4)
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(APIConnectionError) as caught:
            await call(easify, "status")
    assert says in str(caught.value)
    assert "may have been sent" not in str(caught.value)


def test_a_limiter_outage_says_nothing_was_sent() -> None:
    """LimiterUnavailableError, raised before any request, has maybe_sent False."""
    assert LimiterUnavailableError("down").maybe_sent is False


@pytest.mark.parametrize("charset", ["rot13", "base64", "utf-16", "idna", "undefined"])
async def test_a_charset_that_names_no_text_codec_still_maps(charset: str) -> None:
    """A Content-Type charset like rot13 or base64 falls back to UTF-8 text, not a crash."""
    recorder = Recorder(
        default=reply(
            502, b"<html>\xff down</html>", **{"content-type": f"text/html; charset={charset}"}
        )
    )
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(ServerError) as caught:
            await call(easify, "sms")
    assert "down" in caught.value.body
