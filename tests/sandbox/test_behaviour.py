"""The sandbox's throttle, status progression, business hours, faults and webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from easify_async import APIConnectionError, AsyncEasify, SmsStatus
from easify_async.sandbox import (
    DEMO_FROM_NUMBER,
    DEMO_SENDER,
    DEMO_TOKEN,
    Delivery,
    Faults,
    Sandbox,
    serve,
)
from easify_async.sandbox._server import serve_asgi
from tests.sandbox.conftest import FakeClock, raw_client

pytestmark = pytest.mark.anyio

SMS = {
    "from_number": DEMO_FROM_NUMBER,
    "to_number": "3151350000",
    "country_code": "+1",
    "message": "Hai",
}


async def test_the_16th_send_in_a_window_is_refused_with_headers_and_message(
    clock: FakeClock,
) -> None:
    """15 pass with a falling Remaining; the 16th is 429 with Retry-After, Reset and the text."""
    sandbox = Sandbox(period=60.0, clock=clock)
    async with raw_client(sandbox, "in-process") as client:
        remaining = []
        for _ in range(15):
            response = await client.post("sms/send", json=SMS)
            assert response.status_code == 200
            remaining.append(int(response.headers["X-RateLimit-Remaining"]))
        clock.advance(20.5)
        refused = await client.post("sms/send", json=SMS)
    assert remaining == list(range(14, -1, -1))
    assert refused.status_code == 429
    # First hit at 1000.0, window ends at 1060; at 1020.5 Laravel says 1060 - 1020.
    assert refused.json()["message"] == "Too many requests. Try again in 40 seconds"
    assert refused.headers["Retry-After"] == "40"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Limit"] == "15"
    assert "X-RateLimit-Reset" in refused.headers
    assert len(sandbox.sent_sms) == 15
    assert sandbox.rejected_requests == 1


async def test_a_request_that_fails_validation_is_still_counted(clock: FakeClock) -> None:
    """Laravel counts what passed the throttle, even a 422 or a 400."""
    sandbox = Sandbox(clock=clock)
    async with raw_client(sandbox, "in-process") as client:
        await client.post("sms/send", json={**SMS, "from_number": ""})
        response = await client.post("sms/send", json=SMS)
    assert response.headers["X-RateLimit-Remaining"] == "13"


async def test_shared_counter_and_no_headers_switches(clock: FakeClock) -> None:
    """Send and status can share one counter; the headers can be switched off."""
    sandbox = Sandbox(clock=clock, shared_counter=True, rate_limit_headers=False)
    async with raw_client(sandbox, "in-process") as client:
        for _ in range(15):
            await client.post("sms/send", json=SMS)
        status = await client.get("sms/status", params={"sms_id": sandbox.sent_sms[0].sms_id})
        send = await client.post("sms/send", json=SMS)
    assert status.status_code == 200  # 16th hit of the shared key, within status's 60
    assert send.status_code == 429  # 17th hit, over send's 15
    assert "X-RateLimit-Remaining" not in send.headers
    assert "Retry-After" not in send.headers
    assert "Try again in" in send.json()["message"]


async def test_status_goes_from_pending_to_the_final_outcome(clock: FakeClock) -> None:
    """Pending until the recipient's delay has passed, then its outcome with remarks."""
    sandbox = Sandbox(clock=clock)
    sandbox.set_delivery(
        "+13151350000", Delivery(SmsStatus.UNDELIVERED, delay=30.0, remarks="Carrier rejected")
    )
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="hi")
        pending = await easify.sms.status(sent.sms_id)
        clock.advance(30.0)
        final = await easify.sms.status(sent.sms_id)
    assert pending.status is SmsStatus.PENDING
    assert (final.status, final.remarks) == (SmsStatus.UNDELIVERED, "Carrier rejected")


@pytest.mark.parametrize(
    ("force", "expected"), [(False, SmsStatus.SCHEDULED), (True, SmsStatus.DELIVERED)]
)
async def test_outside_business_hours_a_send_is_scheduled_unless_forced(
    force: bool, expected: SmsStatus
) -> None:
    """A closed account schedules the SMS; force_send=1 sends it now."""
    sandbox = Sandbox(business_hours=(0, 0))  # never open
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.sms.send(
            DEMO_FROM_NUMBER, "+13151350000", message="hi", force_send=force
        )
        info = await easify.sms.status(sent.sms_id)
    assert info.status is expected
    assert sandbox.sent_sms[0].force_send is force


async def test_multipart_media_and_attachments_are_accepted() -> None:
    """Files go up as multipart and the ledger keeps their names."""
    sandbox = Sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", media=b"GIF89a")
        await easify.email.send(
            DEMO_SENDER, "a@b.co", "S", attachment=[b"1", b"2"], additional_data={"k": 1}
        )
    assert sandbox.sent_sms[0].media == "media"
    assert len(sandbox.sent_emails[0].attachments) == 2
    assert json.loads(sandbox.sent_emails[0].additional_data) == {"k": 1}


@pytest.mark.parametrize("over", ["in-process", "uvicorn"])
async def test_a_dropped_connection_after_processing_is_maybe_sent(over: str) -> None:
    """The sandbox records the send, then cuts the connection: the client says maybe_sent."""
    sandbox = Sandbox(faults=Faults())
    sandbox.faults.queue("drop")

    @asynccontextmanager
    async def client() -> AsyncIterator[AsyncEasify]:
        if over == "uvicorn":
            async with serve(sandbox) as url, AsyncEasify(DEMO_TOKEN, base_url=url) as easify:
                yield easify
        else:
            async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
                yield easify

    async with client() as easify:
        with pytest.raises(APIConnectionError) as caught:
            await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="hi")
        await easify.sms.send(DEMO_FROM_NUMBER, "+13151350001", message="hi")
    assert caught.value.maybe_sent
    assert [s.to_number for s in sandbox.sent_sms] == ["3151350000", "3151350001"]


async def test_5xx_and_gateway_pages_are_not_processed_and_status_calls_retry_through_them() -> (
    None
):
    """Injected 500 and HTML 502 answers precede processing; a status call retries past them."""
    sandbox = Sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="hi")
        sandbox.faults.queue("server_error")
        sandbox.faults.queue("html")
        info = await easify.sms.status(sent.sms_id)
    assert info.status is SmsStatus.DELIVERED
    assert len(sandbox.sent_sms) == 1


def test_random_faults_follow_their_rates() -> None:
    """With a seed, the draws are reproducible and roughly at the configured rates."""
    faults = Faults(server_error=0.1, html=0.1, drop=0.1, seed=3)
    draws = [faults.draw() for _ in range(3000)]
    for kind in ("server_error", "html", "drop"):
        assert 200 < draws.count(kind) < 400  # type: ignore[arg-type]
    assert Faults(drop=0.3, seed=3).draw() == Faults(drop=0.3, seed=3).draw()


class Receiver:
    """A webhook endpoint that records every POST as it arrived."""

    def __init__(self) -> None:
        self.posts: list[tuple[bytes, dict[str, str]]] = []
        self.app = Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])

    async def _hook(self, request: Request) -> Response:
        self.posts.append((await request.body(), dict(request.headers)))
        return Response(status_code=200)


def docs_recipe(body: bytes, secret: str) -> str:
    """The docs' PHP, in Python: base64_encode(hash_hmac('sha256', $payload, $secret))."""
    return base64.b64encode(
        hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
    ).decode()


async def test_signed_webhooks_verify_with_the_docs_recipe() -> None:
    """SMS events and email batches arrive signed as the docs say, PHP-encoded bodies."""
    receiver = Receiver()
    sandbox = Sandbox()
    async with serve_asgi(receiver.app) as origin:
        account = sandbox.account()
        account.sms_webhook_url = account.email_webhook_url = f"{origin}/hook"
        async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify:
            await easify.sms.send(
                DEMO_FROM_NUMBER, "+13151350000", message="Hi / é 😀", media="https://x.io/a.gif"
            )
            await easify.email.send(
                DEMO_SENDER, "ann@example.com", "S", message="m", additional_data={"id": "232"}
            )
            with anyio.fail_after(10):
                while len(receiver.posts) < 2:
                    await anyio.sleep(0.01)
    by_kind: dict[str, Any] = {}
    for body, headers in receiver.posts:
        assert headers["x-easify-signature"] == docs_recipe(body, account.webhook_secret)
        assert abs(int(headers["x-easify-timestamp"]) - time.time()) < 60
        payload = json.loads(body)
        by_kind["email" if isinstance(payload, list) else "sms"] = (body, payload)
    sms_body, sms = by_kind["sms"]
    assert b"\\/" in sms_body  # PHP escapes slashes
    assert b"\\u00e9" in sms_body  # and non-ASCII
    assert b"\\ud83d\\ude00" in sms_body
    assert (sms["status"], sms["sms_type"], sms["receiver"]) == ("Delivered", "mms", "+13151350000")
    assert sms["message"] == "Hi / é 😀"
    _, batch = by_kind["email"]
    assert [e["event"] for e in batch] == ["processed", "delivered"]
    assert batch[0]["additional_data"] == "{'id':'232'}"
    assert all(e["email"] == "ann@example.com" for e in batch)
