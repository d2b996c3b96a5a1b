"""The client's public surface: exports, configuration, secrecy of the token, lifecycle."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import weakref

import anyio
import httpx
import pytest

import easify_async
from easify_async import AsyncEasify, AuthenticationError, SmsStatus
from tests._clock import virtual
from tests._leaks import assert_no_token
from tests.fakes import SMS_SENT, Recorder, reply

pytestmark = pytest.mark.anyio

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3081234"
TEMPLATES = {
    "status": True,
    "message": "SMS Templates",
    "data": [{"id": 7, "name": "Welcome", "created_at": "07-12-2024 11:03:12 AM"}],
    "meta": {"current_page": 1, "last_page": 1, "per_page": 100, "total": 1},
}
VIRTUAL = virtual()


def test_public_names_are_pinned() -> None:
    """__all__ is the contract: changing it is a deliberate, visible act."""
    assert easify_async.__all__ == sorted(easify_async.__all__)
    assert set(easify_async.__all__) == {
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "ArgumentError",
        "AsyncEasify",
        "AsyncPaginator",
        "AuthenticationError",
        "BadRequestError",
        "BlacklistedRecipientError",
        "CampaignItem",
        "CampaignSent",
        "CampaignStatus",
        "CampaignStatusInfo",
        "ContactGroup",
        "Contact",
        "CampaignTimeoutError",
        "CountryCodeConflictError",
        "DefaultGroupError",
        "Easify",
        "EasifyError",
        "EmailRecipientStatus",
        "EmailSender",
        "EmailSent",
        "EmailStatus",
        "InsufficientCreditsError",
        "InvalidEmailAddressError",
        "InvalidEmailError",
        "InvalidFileError",
        "InvalidContactError",
        "InvalidGroupError",
        "InvalidPhoneNumberError",
        "InvalidRecipientError",
        "InvalidScheduleError",
        "InvalidSenderError",
        "InvalidSmsIdError",
        "LimiterUnavailableError",
        "MissingContentError",
        "Page",
        "Paginator",
        "PaymentRequiredError",
        "PermissionDeniedError",
        "PhoneNumber",
        "RateLimit",
        "RateLimitError",
        "RateLimits",
        "RawResponse",
        "RawResponses",
        "ReadOptions",
        "RecipientType",
        "RequestOptions",
        "ServerError",
        "SyncPage",
        "SmsRecord",
        "SmsSent",
        "SmsStatus",
        "SmsStatusInfo",
        "SmsTemplate",
        "SubUser",
        "UnsupportedCountryError",
        "ValidationError",
        "VoiceCall",
        "WaitOptions",
        "WaitTimeoutError",
        "__version__",
        "from_dict",
        "to_dict",
    }
    for name in easify_async.__all__:
        assert getattr(easify_async, name).__doc__ or name == "__version__"


def test_import_loads_no_optional_dependency() -> None:
    """Importing the package pulls in no framework, redis, rich or click of its own."""
    code = (
        # httpx itself imports click and rich for its CLI when they are installed.
        "import sys, httpx; before = set(sys.modules);"
        "import easify_async, easify_async.limiters, easify_async.webhooks;"
        "bad = {'fastapi', 'starlette', 'aiohttp', 'redis', 'rich', 'click', 'uvicorn', 'trio'};"
        "print(sorted(bad & {m.split('.')[0] for m in set(sys.modules) - before}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_zoneinfo_loads_with_the_first_schedule_not_with_the_client() -> None:
    """Its ~7 ms are paid by schedulers only; a scheduled send still works on first use."""
    code = (
        "import sys, datetime, easify_async;"
        "from easify_async._schedule import schedule_fields;"
        "easify_async.AsyncEasify('t').email;"
        "print('zoneinfo' in sys.modules);"
        "when = datetime.datetime(2099, 1, 1, 9, 0);"
        "print(schedule_fields(when, 'America/New_York'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["False", "('2099-01-01 09:00:00', 'America/New_York')"]


async def test_token_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EASIFY_API_TOKEN and EASIFY_BASE_URL configure a client built with no arguments."""
    monkeypatch.setenv("EASIFY_API_TOKEN", TOKEN)
    monkeypatch.setenv("EASIFY_BASE_URL", "http://127.0.0.1:8025/api/v2/")
    recorder = Recorder()
    async with AsyncEasify(transport=recorder.transport()) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert str(recorder.requests[0].url) == "http://127.0.0.1:8025/api/v2/sms/send"
    assert recorder.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert recorder.requests[0].headers["user-agent"] == f"easify-async/{easify_async.__version__}"


async def test_a_reply_is_freed_when_its_call_returns_not_left_to_the_gc() -> None:
    """No reference cycle keeps a reply: a cyclic-GC run per few calls would cost more
    than the SDK's own work on each (benchmarks/bench_client.py)."""
    replies: list[weakref.ref[httpx.Response]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        response = reply(body=SMS_SENT if request.method == "POST" else TEMPLATES)
        replies.append(weakref.ref(response))
        return response

    gc.collect()
    gc.disable()
    try:
        async with AsyncEasify("t", transport=httpx.MockTransport(handler)) as easify:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
            page = await easify.sms.templates()
            assert [template.id for template in page.items] == [7]
            alive = [ref() is not None for ref in replies]
    finally:
        gc.enable()
    assert alive == [False, False]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_the_token_never_shows_in_repr_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """repr, exception text, a traceback showing locals and the log never hold the token."""
    caplog.set_level(logging.DEBUG)
    recorder = Recorder(
        answers=[
            reply(429, {"status": False, "message": "Try again in 1 seconds", "errors": []}),
            reply(401, {"status": False, "message": "Unauthenticated", "errors": []}),
        ]
    )
    easify = AsyncEasify(TOKEN, transport=recorder.transport())
    with pytest.raises(AuthenticationError) as caught:
        await easify.sms.send("3152930000", "+13151350000", message="hi")
    await easify.aclose()
    secret = TOKEN.split("|")[1]
    assert secret not in repr(easify)
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value.response)
    assert secret not in repr(caught.value.response.request.headers)  # httpx masks it
    assert_no_token(caught.value, TOKEN)
    assert "429" in caplog.text
    assert secret not in caplog.text


async def test_a_users_httpx_client_is_used_and_left_open() -> None:
    """http_client= sends through the user's client (its hooks run) and is not closed."""
    recorder = Recorder()
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(
        transport=recorder.transport(), event_hooks={"request": [hook]}
    ) as mine:
        async with AsyncEasify("t", http_client=mine) as easify:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
        assert not mine.is_closed
    assert seen == ["/api/v2/sms/send"]


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_wait_for_final_status_polls_until_final() -> None:
    """Pending, Success, then Delivered: three polls, the Delivered info returned."""
    bodies = [
        {"status": True, "message": "", "data": {"status": s, "remarks": ""}}
        for s in ("Pending", "Success", "Delivered")
    ]
    recorder = Recorder(answers=[reply(200, b) for b in bodies])
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        info = await easify.sms.wait_for_final_status("9", timeout=600, poll_interval=10)
    assert info.status is SmsStatus.DELIVERED
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_wait_for_final_status_times_out() -> None:
    """A status that stays Pending raises TimeoutError after `timeout`."""
    pending = {"status": True, "message": "", "data": {"status": "Pending", "remarks": ""}}
    recorder = Recorder(default=reply(200, pending))
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        with pytest.raises(TimeoutError):
            await easify.sms.wait_for_final_status("9", timeout=60, poll_interval=5)
    assert 10 <= len(recorder.requests) <= 13


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        pytest.param("127.0.0.1:8031/api/v2", "has no scheme", id="no-scheme-ip"),
        pytest.param("localhost:8031/api/v2", "has no scheme", id="no-scheme-host"),
        pytest.param("ftp://example.com/api/v2", "has the scheme 'ftp'", id="ftp"),
        pytest.param("https:example.com/api/v2", "needs '//' after 'https:'", id="no-slashes"),
        pytest.param("http:///api/v2", "has no host", id="no-host"),
        pytest.param("https://example.com/api/v2?x=1", "has a query or a fragment", id="query"),
        pytest.param("https://example.com/api/v2#top", "has a query or a fragment", id="fragment"),
        pytest.param("https://u:pw@example.com/api/v2", "carries credentials", id="userinfo"),
        pytest.param("https://exa mple.com/api/v2", "contains a blank", id="blank"),
        pytest.param("http://h:abc/api/v2", "is not a URL", id="bad-port"),
        pytest.param("http://h:99999/api/v2", "outside 1-65535", id="port-range"),
    ],
)
def test_an_unusable_base_url_is_refused_at_construction(base_url: str, problem: str) -> None:
    """A base URL every call would fail on is an ArgumentError naming base_url, not exit 5 later."""
    with pytest.raises(easify_async.ArgumentError) as caught:
        AsyncEasify("t", base_url=base_url)
    assert caught.value.argument == "base_url"
    assert problem in caught.value.reason
    assert "EASIFY_BASE_URL" not in caught.value.reason


def test_a_scheme_less_base_url_is_answered_with_the_fix() -> None:
    """The message for host:port/path shows the URL with http:// in front."""
    with pytest.raises(easify_async.ArgumentError, match=r"'http://127\.0\.0\.1:8031/api/v2'"):
        AsyncEasify("t", base_url="127.0.0.1:8031/api/v2")


def test_a_bad_base_url_from_the_environment_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """EASIFY_BASE_URL is checked like the argument, and the message names the variable."""
    monkeypatch.setenv("EASIFY_BASE_URL", "127.0.0.1:8031/api/v2")
    with pytest.raises(easify_async.ArgumentError) as caught:
        AsyncEasify("t")
    assert caught.value.argument == "base_url"
    assert caught.value.reason.endswith("(from $EASIFY_BASE_URL)")
    # The argument wins over the environment, and is what the message is about.
    assert AsyncEasify("t", base_url="http://127.0.0.1:8031/api/v2").base_url.endswith("/api/v2")


@pytest.mark.parametrize(
    ("base_url", "kept"),
    [
        pytest.param(" https://example.com/api/v2/ ", "https://example.com/api/v2", id="blanks"),
        pytest.param("HTTP://[::1]:8025/api/v2", "HTTP://[::1]:8025/api/v2", id="ipv6"),
        pytest.param("https://proxy.example/easify", "https://proxy.example/easify", id="proxy"),
    ],
)
async def test_a_usable_base_url_is_kept(base_url: str, kept: str) -> None:
    """Blanks and a trailing slash go; any path is accepted (a proxy may rewrite it)."""
    recorder = Recorder()
    async with AsyncEasify("t", base_url=base_url, transport=recorder.transport()) as easify:
        assert easify.base_url == kept
        await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert str(recorder.requests[0].url).lower() == f"{kept}/sms/send".lower()


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_the_wait_timeout_names_the_id_last_status_and_timeout() -> None:
    """A wait that runs out raises a TimeoutError that is an EasifyError and says what it saw."""
    pending = {"status": True, "message": "", "data": {"status": "Pending", "remarks": ""}}
    recorder = Recorder(default=reply(200, pending))
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        with pytest.raises(easify_async.WaitTimeoutError) as caught:
            await easify.sms.wait_for_final_status(31529, timeout=60, poll_interval=5)
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert isinstance(error, easify_async.EasifyError)
    assert str(error) == "no final status for SMS 31529 within 60 s (last status Pending)"
    assert (error.kind, error.id, error.timeout) == ("SMS", "31529", 60)
    assert error.last_status is SmsStatus.PENDING


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_the_wait_timeout_says_when_no_status_came_back() -> None:
    """A status call still unanswered at the timeout: the message says no status was read."""

    async def never_answers(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(3600)
        return reply()

    async with AsyncEasify("t", transport=httpx.MockTransport(never_answers)) as easify:
        with pytest.raises(TimeoutError) as caught:
            await easify.sms.wait_for_final_status("9", timeout=2.5)
    assert str(caught.value) == "no final status for SMS 9 within 2.5 s (no status read yet)"
    assert isinstance(caught.value, easify_async.WaitTimeoutError)
    assert caught.value.last_status is None
