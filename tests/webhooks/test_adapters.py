"""The webhook guide's FastAPI and aiohttp receivers, served for real, fed by the sandbox."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from easify_async import AsyncEasify
from easify_async._php_json import php_json_encode
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Sandbox, serve
from easify_async.webhooks import sign
from easify_async.webhooks._events import EmailEvent, SmsEvent

from .servers import serve_aiohttp, serve_asgi

pytestmark = pytest.mark.anyio

README = Path(__file__).parents[2] / "docs" / "guides" / "webhooks.md"


def example(name: str) -> dict[str, Any]:
    """Run the guide's example ``name`` and return its globals."""
    match = re.search(
        rf"<!-- example:{name} -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
    )
    assert match, name
    namespace: dict[str, Any] = {"__name__": f"readme_{name}"}
    exec(compile(match.group(1), f"README.md:{name}", "exec"), namespace)
    return namespace


@asynccontextmanager
async def fastapi_receiver() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    namespace = example("fastapi")
    async with serve_asgi(namespace["app"]) as origin:
        yield origin, namespace


@asynccontextmanager
async def aiohttp_receiver() -> AsyncIterator[tuple[str, dict[str, Any]]]:
    namespace = example("aiohttp")
    async with serve_aiohttp(namespace["app"]) as origin:
        yield origin, namespace


RECEIVERS = {"fastapi": fastapi_receiver, "aiohttp": aiohttp_receiver}


def delivered(namespace: dict[str, Any], kind: str) -> int:
    if kind == "fastapi":
        return len(namespace["statuses"]) + len(namespace["opened"])
    return len(namespace["received"])


# uvicorn serves from a thread of its own, so the FastAPI receiver runs under trio too;
# aiohttp's server needs the asyncio loop.
RECEIVER_BACKENDS = [
    pytest.param("fastapi", "asyncio", id="fastapi-asyncio"),
    pytest.param("fastapi", "trio", id="fastapi-trio"),
    pytest.param("aiohttp", "asyncio", id="aiohttp-asyncio"),
]


@pytest.mark.parametrize(("kind", "anyio_backend"), RECEIVER_BACKENDS)
async def test_sandbox_webhooks_reach_the_readme_receivers_and_replays_are_dropped(
    kind: str,
) -> None:
    """Sandbox deliveries are accepted; a replay gets 200 and is not handled twice."""
    sandbox = Sandbox()
    async with RECEIVERS[kind]() as (origin, namespace):
        account = sandbox.account()
        account.webhook_secret = namespace["SECRET"]
        account.sms_webhook_url = f"{origin}/easify/sms"
        account.email_webhook_url = f"{origin}/easify/email"
        async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify:
            await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi / ✓")
            await easify.email.send(DEMO_SENDER, "ann@example.com", "S", message="m")
            with anyio.fail_after(10):
                while len(sandbox.webhooks.delivered) < 2:
                    await anyio.sleep(0.01)
        assert sorted(d.status_code for d in sandbox.webhooks.delivered) == [200, 200]
        if kind == "aiohttp":
            received = namespace["received"]
            assert [type(e) for e in received].count(SmsEvent) == 1
            assert [type(e) for e in received].count(EmailEvent) == 2
            assert received[0].message == "Hi / ✓" or received[-1].message == "Hi / ✓"
        else:
            assert namespace["statuses"].get(sandbox.sent_sms[0].sms_id).value == "Delivered"
        before = delivered(namespace, kind)
        sms_payload = next(
            d.payload for d in sandbox.webhooks.delivered if isinstance(d.payload, dict)
        )
        async with httpx.AsyncClient() as client:
            replay = await client.post(
                f"{origin}/easify/sms",
                content=php_json_encode(sms_payload),
                headers={
                    "X-Easify-Signature": sign(sms_payload, secret=namespace["SECRET"]),
                    "X-Easify-Timestamp": str(int(time.time())),
                },
            )
            forged = await client.post(
                f"{origin}/easify/sms",
                content=b'{"sms_id":"1","status":"Delivered"}',
                headers={
                    "X-Easify-Signature": "bm9wZQ==",
                    "X-Easify-Timestamp": str(int(time.time())),
                },
            )
            stale = await client.post(
                f"{origin}/easify/sms",
                content=b"{}",
                headers={
                    "X-Easify-Signature": sign(b"{}", secret=namespace["SECRET"]),
                    "X-Easify-Timestamp": "1",
                },
            )
            garbage = await client.post(
                f"{origin}/easify/sms",
                content=b"[1,2]",
                headers={
                    "X-Easify-Signature": sign(b"[1,2]", secret=namespace["SECRET"]),
                    "X-Easify-Timestamp": str(int(time.time())),
                },
            )
    assert replay.status_code == 200
    assert "duplicate" in replay.text
    assert delivered(namespace, kind) == before
    assert (forged.status_code, stale.status_code, garbage.status_code) == (401, 401, 400)


async def test_the_ready_fastapi_router_calls_back() -> None:
    """webhook_router wires both routes to callbacks."""
    from fastapi import FastAPI

    from easify_async.webhooks.fastapi import webhook_router

    seen: list[object] = []

    async def on_sms(event: SmsEvent) -> None:
        seen.append(event)

    async def on_email(events: list[EmailEvent]) -> None:
        seen.extend(events)

    app = FastAPI()
    app.include_router(webhook_router(secret="s", on_sms=on_sms, on_email=on_email))
    sms = {"sms_id": "1", "status": "Failed"}
    batch = [{"event": "bounce", "timestamp": int(time.time()), "sg_event_id": "e1"}]
    now = str(int(time.time()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        first = await client.post(
            "/easify/sms",
            json=sms,
            headers={"X-Easify-Signature": sign(sms, secret="s"), "X-Easify-Timestamp": now},
        )
        second = await client.post(
            "/easify/email",
            json=batch,
            headers={"X-Easify-Signature": sign(batch, secret="s"), "X-Easify-Timestamp": now},
        )
    assert (first.status_code, second.status_code) == (200, 200)
    assert [type(e).__name__ for e in seen] == ["SmsEvent", "EmailEvent"]
