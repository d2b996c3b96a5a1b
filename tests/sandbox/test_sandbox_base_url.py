"""A client on `sandbox.transport()` says it is a sandbox client (issue 22.6)."""

from __future__ import annotations

import logging

import anyio
import pytest

from easify_async import AsyncEasify
from easify_async.sandbox import (
    DEMO_FROM_NUMBER,
    DEMO_SENDER,
    DEMO_TOKEN,
    SANDBOX_BASE_URL,
    Sandbox,
)
from easify_async.sandbox._server import serve_asgi
from easify_async.webhooks import verify_sms_event
from tests.sandbox.test_behaviour import Receiver

pytestmark = pytest.mark.anyio

PRODUCTION = "backend.easify.app"


async def test_the_repr_and_the_request_log_name_the_sandbox(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """repr, base_url and httpx's log line name sandbox.easify.invalid, v2 and v3 alike."""
    caplog.set_level(logging.INFO, logger="httpx")
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        assert easify.base_url == SANDBOX_BASE_URL == "http://sandbox.easify.invalid/api/v2"
        assert repr(easify) == f"<AsyncEasify base_url={SANDBOX_BASE_URL!r}>"
        await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        await easify.v3.email.send(DEMO_SENDER, ["ann@example.com"], "Hi", message="m")
        assert repr(easify.with_options(timeout=5)) == repr(easify)
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines == [
        'HTTP Request: POST http://sandbox.easify.invalid/api/v2/sms/send "HTTP/1.1 200 OK"',
        'HTTP Request: POST http://sandbox.easify.invalid/api/v3/email/send "HTTP/1.1 200 OK"',
    ]
    assert PRODUCTION not in caplog.text


async def test_a_base_url_given_wins_and_the_environment_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An explicit base_url is used as given; $EASIFY_BASE_URL, where the requests would
    not go, does not name a sandbox client."""
    monkeypatch.setenv("EASIFY_BASE_URL", "https://backend.easify.app/api/v2")
    sandbox = Sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        assert easify.base_url == SANDBOX_BASE_URL
        await easify.sms.templates()
    given = "http://127.0.0.1:9/api/v2"
    async with AsyncEasify(DEMO_TOKEN, base_url=given, transport=sandbox.transport()) as easify:
        assert easify.base_url == given
        await easify.sms.templates()  # the in-process transport answers whatever the host


async def test_webhooks_still_reach_their_url() -> None:
    """A sandbox client's SMS still gets its signed webhook at the account's URL."""
    receiver = Receiver()
    sandbox = Sandbox()
    async with serve_asgi(receiver.app) as origin, sandbox:
        sandbox.account().sms_webhook_url = f"{origin}/hook"
        async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
            sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        with anyio.fail_after(10):
            while not receiver.posts:
                await anyio.sleep(0.01)
    body, headers = receiver.posts[0]
    assert (
        verify_sms_event(body, headers, secret=sandbox.account().webhook_secret).sms_id
        == sent.sms_id
    )
