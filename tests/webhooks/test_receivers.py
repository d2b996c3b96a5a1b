"""The FastAPI and aiohttp receivers over real sockets: failures, retries, size, secrets."""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations,
# which name dependencies local to `fastapi_app`.

import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest

from easify_async import ArgumentError
from easify_async._php_json import php_json_encode
from easify_async.webhooks import EmailEvent, MemoryReplayGuard, SmsEvent, sign
from tests._leaks import assert_no_token

from .servers import serve_aiohttp, serve_asgi

pytestmark = pytest.mark.anyio

SECRET = "whsec_receivers"
SMS = {"sms_id": "9", "status": "Delivered", "message": "a/b ✓"}
NOW = int(time.time())
BATCH = [
    {"event": "open", "timestamp": NOW, "sg_event_id": "e1", "email": "a@example.com"},
    {"event": "click", "timestamp": NOW, "sg_event_id": "e2", "url": "https://x.io/"},
]
Serve = Callable[..., AbstractAsyncContextManager[str]]


@asynccontextmanager
async def fastapi_app(
    on_sms: Callable[[SmsEvent], Awaitable[None]],
    on_email: Callable[[list[EmailEvent]], Awaitable[None]],
    **options: Any,
) -> AsyncIterator[str]:
    from fastapi import Depends, FastAPI

    from easify_async.webhooks.fastapi import EmailWebhook, SmsWebhook

    app = FastAPI()
    sms_webhook, email_webhook = SmsWebhook(**options), EmailWebhook(**options)

    @app.post("/sms")
    async def sms(event: Annotated[SmsEvent, Depends(sms_webhook)]) -> None:
        await on_sms(event)

    @app.post("/email")
    async def email(events: Annotated[list[EmailEvent], Depends(email_webhook)]) -> None:
        await on_email(events)

    async with serve_asgi(app) as origin:
        yield origin


@asynccontextmanager
async def aiohttp_app(
    on_sms: Callable[[SmsEvent], Awaitable[None]],
    on_email: Callable[[list[EmailEvent]], Awaitable[None]],
    **options: Any,
) -> AsyncIterator[str]:
    from aiohttp import web

    from easify_async.webhooks.aiohttp import email_handler, sms_handler

    app = web.Application()
    app.router.add_post("/sms", sms_handler(on_sms, **options))
    app.router.add_post("/email", email_handler(on_email, **options))
    async with serve_aiohttp(app) as origin:
        yield origin


@asynccontextmanager
async def router_app(
    on_sms: Callable[[SmsEvent], Awaitable[None]],
    on_email: Callable[[list[EmailEvent]], Awaitable[None]],
    **options: Any,
) -> AsyncIterator[str]:
    from fastapi import FastAPI

    from easify_async.webhooks.fastapi import webhook_router

    app = FastAPI()
    paths = {"sms_path": "/sms", "email_path": "/email"}
    app.include_router(webhook_router(on_sms=on_sms, on_email=on_email, **paths, **options))
    async with serve_asgi(app) as origin:
        yield origin


APPS = [
    pytest.param(fastapi_app, "asyncio", id="fastapi-asyncio"),
    pytest.param(router_app, "asyncio", id="router-asyncio"),
    pytest.param(fastapi_app, "trio", id="fastapi-trio"),
    pytest.param(aiohttp_app, "asyncio", id="aiohttp-asyncio"),
]
# webhook_router takes no max_bytes.
WITH_MAX_BYTES = [app for app in APPS if app.id != "router-asyncio"]


def signed(payload: Any) -> dict[str, Any]:
    """httpx arguments for a delivery signed now, as Easify's PHP makes it."""
    return {
        "content": php_json_encode(payload),
        "headers": {
            "X-Easify-Signature": sign(payload, secret=SECRET),
            "X-Easify-Timestamp": str(int(time.time())),
        },
    }


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_failed_handler_lets_the_retry_through(serve: Serve) -> None:
    """The endpoint raises once: 500, and Easify's retry is handled, not dropped as a replay."""
    calls: list[object] = []

    async def flaky_sms(event: SmsEvent) -> None:
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("database down")

    async def flaky_email(events: list[EmailEvent]) -> None:
        calls.append(events)
        if len(calls) == 3:
            raise RuntimeError("database down")

    # A new connection per delivery, as Easify's retries come: uvicorn closes a
    # connection after an unhandled error, and a reused one would fail to read.
    fresh = httpx.Limits(max_keepalive_connections=0)
    async with (
        serve(flaky_sms, flaky_email, secret=SECRET) as origin,
        httpx.AsyncClient(base_url=origin, limits=fresh) as client,
    ):
        answers = [
            (await client.post("/sms", **signed(SMS))).status_code,
            (await client.post("/sms", **signed(SMS))).status_code,
            (await client.post("/email", **signed(BATCH))).status_code,
            (await client.post("/email", **signed(BATCH))).status_code,
            (await client.post("/email", **signed(BATCH))).status_code,
        ]
    assert answers == [500, 200, 500, 200, 200]
    assert len(calls) == 4  # the last batch was a replay of a handled one


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_batch_with_seen_and_new_events_hands_over_only_the_new(serve: Serve) -> None:
    """Events already handled are dropped from a batch; the rest reach the handler."""
    batches: list[list[str | None]] = []

    async def on_email(events: list[EmailEvent]) -> None:
        batches.append([e.sg_event_id for e in events])

    async def on_sms(event: SmsEvent) -> None:
        raise AssertionError("no SMS here")

    more = [*BATCH, {"event": "delivered", "timestamp": NOW, "sg_event_id": "e3"}]
    async with (
        serve(on_sms, on_email, secret=SECRET) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        first = await client.post("/email", **signed(BATCH[:1]))
        second = await client.post("/email", **signed(more))
    assert (first.status_code, second.status_code) == (200, 200)
    assert batches == [["e1"], ["e2", "e3"]]


@pytest.mark.parametrize(("serve", "anyio_backend"), WITH_MAX_BYTES)
async def test_a_body_over_the_cap_is_refused_and_a_rotated_secret_accepted(
    serve: Serve,
) -> None:
    """max_bytes answers 400 for a longer body; any secret of the list verifies."""
    received: list[SmsEvent] = []

    async def on_sms(event: SmsEvent) -> None:
        received.append(event)

    async def on_email(events: list[EmailEvent]) -> None:
        raise AssertionError("no email here")

    big = {**SMS, "message": "x" * 5000}
    async with (
        serve(on_sms, on_email, secret=["previous", SECRET], max_bytes=1000) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        too_big = await client.post("/sms", **signed(big))
        chunked = await client.post(
            "/sms", content=_chunks(php_json_encode(big)), headers=signed(big)["headers"]
        )
        fine = await client.post("/sms", **signed(SMS))
    assert (too_big.status_code, chunked.status_code, fine.status_code) == (400, 400, 200)
    assert "over 1000 bytes" in too_big.text
    assert [e.message for e in received] == ["a/b ✓"]


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    """The body sent chunked, with no Content-Length to trust."""
    for start in range(0, len(body), 256):
        yield body[start : start + 256]


def test_receivers_refuse_an_empty_secret_when_built() -> None:
    """A secret read from an unset variable fails at startup, not by accepting forgeries."""
    from easify_async.webhooks.aiohttp import sms_handler
    from easify_async.webhooks.fastapi import EmailWebhook, webhook_router

    async def ignore(_: object) -> None: ...

    for build in (
        lambda: EmailWebhook(secret=""),
        lambda: sms_handler(ignore, secret=[]),
        lambda: webhook_router(secret=b"", on_sms=ignore),
    ):
        with pytest.raises(ValueError, match="secret"):
            build()


def test_receivers_refuse_a_tolerance_that_turns_the_check_off() -> None:
    """A NaN, infinite or zero tolerance fails at startup (NaN would accept any timestamp)."""
    from easify_async.webhooks.aiohttp import email_handler
    from easify_async.webhooks.fastapi import SmsWebhook

    async def ignore(_: object) -> None: ...

    for tolerance in (math.nan, math.inf, 0.0):
        with pytest.raises(ArgumentError, match="tolerance"):
            SmsWebhook(secret=SECRET, tolerance=tolerance)
        with pytest.raises(ArgumentError, match="tolerance"):
            email_handler(ignore, secret=SECRET, tolerance=tolerance)


class Later:
    """A wall clock ``offset`` seconds ahead of the real one."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_capture_replayed_a_day_later_with_a_fresh_timestamp_is_dropped(
    serve: Serve,
) -> None:
    """The unsigned timestamp is renewed, the body is not: the guard still knows it."""
    handled: list[object] = []

    async def on_sms(event: SmsEvent) -> None:
        handled.append(event)

    async def on_email(events: list[EmailEvent]) -> None:
        handled.extend(events)

    clock = Later()
    sms = {**SMS, "created_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
    async with (
        serve(
            on_sms, on_email, secret=SECRET, replay_guard=MemoryReplayGuard(clock=clock)
        ) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        first = [
            await client.post("/sms", **signed(sms)),
            await client.post("/email", **signed(BATCH)),
        ]
        clock.offset = 24 * 3600.0  # the old guard forgot after 2 x tolerance: 30 minutes
        replays = [
            await client.post("/sms", **signed(sms)),
            await client.post("/email", **signed(BATCH)),
        ]
    assert [r.status_code for r in first + replays] == [200, 200, 200, 200]
    assert [r.json()["detail"] for r in replays] == ["duplicate delivery ignored"] * 2
    assert len(handled) == 1 + len(BATCH)


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_events_older_than_the_guards_memory_are_refused(serve: Serve) -> None:
    """An event whose signed time is before what the guard remembers answers 401."""
    handled: list[object] = []

    async def on_sms(event: SmsEvent) -> None:
        handled.append(event)

    async def on_email(events: list[EmailEvent]) -> None:
        handled.extend(events)

    week = 7 * 24 * 3600
    now = int(time.time())
    old_email = [{**BATCH[0], "timestamp": now - week - 1}]
    old_sms = {**SMS, "created_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now - week))}
    # created_at names no zone: read as UTC+14, one just inside the week minus 14 h passes.
    edge = now - week + 14 * 3600 + 900 + 120
    fresh_sms = {**SMS, "created_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(edge))}
    async with (
        serve(on_sms, on_email, secret=SECRET) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        email = await client.post("/email", **signed(old_email))
        sms = await client.post("/sms", **signed(old_sms))
        fine = await client.post("/sms", **signed(fresh_sms))
    assert (email.status_code, sms.status_code, fine.status_code) == (401, 401, 200)
    assert "older than the replay guard's memory" in email.json()["detail"]
    assert "older than the replay guard's memory" in sms.json()["detail"]
    assert len(handled) == 1


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_malformed_delivery_answers_400_naming_the_field(serve: Serve) -> None:
    """The 400 says which field is missing or wrong, never Python's internals."""

    async def never(_: object) -> None:
        raise AssertionError("nothing is handled")

    async with (
        serve(never, never, secret=SECRET) as origin,
        httpx.AsyncClient(base_url=origin) as client,
    ):
        empty = await client.post("/sms", **signed({"message": "hi"}))
        typed = await client.post("/sms", **signed({"sms_id": "1", "status": ["Delivered"]}))
        batch = await client.post(
            "/email", **signed([BATCH[0], {"event": "open", "timestamp": "x"}])
        )
        twice = await client.post(
            "/sms",
            content=b'{"sms_id":"1","status":"Failed","status":"Delivered"}',
            headers={
                "X-Easify-Signature": sign(
                    b'{"sms_id":"1","status":"Failed","status":"Delivered"}', secret=SECRET
                ),
                "X-Easify-Timestamp": str(int(time.time())),
            },
        )
    assert [r.status_code for r in (empty, typed, batch, twice)] == [400] * 4
    assert [r.json()["detail"] for r in (empty, typed, batch, twice)] == [
        "malformed webhook body: an SMS event needs 'sms_id' and 'status'",
        "malformed webhook body: 'status' must be a string, not an array",
        "malformed webhook body: event 2 of 2: 'timestamp' must be a UNIX time in seconds,"
        ' not "x"',
        'malformed webhook body: duplicate key "status" in a JSON object',
    ]


class _Errors(logging.Handler):
    """The errors the servers log with their traceback, as Sentry's logging hook gets them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


@pytest.mark.parametrize(("serve", "anyio_backend"), APPS)
async def test_a_handler_error_logged_with_locals_shows_no_secret(serve: Serve) -> None:
    """The endpoint raises: the server logs the error, and its frames (rendered with their
    locals, as Sentry does) hold none of the rotation's secrets."""
    secrets = [SECRET, "whsec_receivers_next"]

    async def failing(event: object) -> None:
        raise RuntimeError("database down")

    caught = _Errors()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "aiohttp.server")]
    fresh = httpx.Limits(max_keepalive_connections=0)
    try:
        async with (
            serve(failing, failing, secret=secrets) as origin,
            httpx.AsyncClient(base_url=origin, limits=fresh) as client,
        ):
            for logger in loggers:  # after uvicorn configured its loggers (drops handlers)
                logger.addHandler(caught)
            answers = [
                (await client.post("/sms", **signed(SMS))).status_code,
                (await client.post("/email", **signed(BATCH))).status_code,
            ]
    finally:  # the server stopped: its last error is logged (after its 500 went out)
        for logger in loggers:
            logger.removeHandler(caught)
    assert answers == [500, 500]
    assert len(caught.errors) == 2
    for error in caught.errors:
        for secret in secrets:
            assert_no_token(error, secret)
