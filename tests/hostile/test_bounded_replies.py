"""Replies over a real socket are read whole or refused: no leak, no hang, no held slot."""

from __future__ import annotations

import anyio
import httpx
import pytest
from anyio.abc import SocketStream

from easify_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncEasify,
    RateLimit,
    RateLimitError,
    RateLimits,
)
from tests.fakes import SMS_SENT
from tests.hostile._server import Exchange, head, raw_server, reset, respond

pytestmark = pytest.mark.anyio

JSON = {"Content-Type": "application/json"}
TOO_MANY = b'{"status":false,"message":"Too many requests.","errors":[]}'
SENT = httpx.Response(200, json=SMS_SENT).content


async def send(easify: AsyncEasify) -> object:
    with anyio.fail_after(10):  # a hang fails the test; no timing is asserted
        return await easify.sms.send("3152930000", "+13151350000", message="hi")


async def test_429s_without_a_wait_give_their_connection_back() -> None:
    """A 429 with no numeric wait, limits off, is a RateLimitError and frees its connection."""

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        await respond(stream, 429, TOO_MANY, {**JSON, "Retry-After": "soon"})
        return True  # keep-alive: a connection not read to the end would never come back

    pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1), retries=0)
    async with (
        raw_server(handle) as base_url,
        AsyncEasify(
            "t", base_url=base_url, transport=pool, rate_limits=None, max_retries=0, timeout=2
        ) as easify,
    ):
        for _ in range(5):
            with pytest.raises(RateLimitError) as caught:
                await send(easify)
            assert caught.value.retry_after == 0.0
            assert caught.value.maybe_sent is False


async def test_a_429_whose_body_never_arrives_gives_its_slot_back_at_once() -> None:
    """Reset mid-body, a 429 was not counted by the server: its slot is free, not held."""
    answered = 0

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        nonlocal answered
        answered += 1
        if answered <= 3:
            await stream.send(head(429, JSON, length=len(TOO_MANY)) + TOO_MANY[:5])
            await reset(stream)
            return False
        await respond(stream, 200, SENT, JSON)
        return True

    # Two slots a minute: a slot held as if counted would hold the fourth send a minute.
    limits = RateLimits(sms_send=RateLimit(2, 60.0))
    async with (
        raw_server(handle) as base_url,
        AsyncEasify("t", base_url=base_url, rate_limits=limits, max_retries=0, timeout=2) as easify,
    ):
        for _ in range(3):
            with pytest.raises(APIConnectionError) as caught:
                await send(easify)
            assert caught.value.maybe_sent
        assert await send(easify)


async def test_a_trickled_body_ends_at_the_attempt_deadline() -> None:
    """Bytes that each come within the read timeout cannot keep a call past its deadline."""

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        await stream.send(head(200, JSON, length=100_000))
        for _ in range(10_000):
            await stream.send(b" " * 10)
            await anyio.sleep(0.02)
        return False

    async with (
        raw_server(handle) as base_url,
        AsyncEasify("t", base_url=base_url, rate_limits=None, max_retries=0, timeout=0.2) as easify,
    ):
        with pytest.raises(APITimeoutError) as caught:
            await send(easify)
    assert caught.value.maybe_sent
    assert "0.8 s" in str(caught.value)  # four phases of 0.2 s


@pytest.mark.parametrize(
    "declared", [pytest.param(True, id="length"), pytest.param(False, id="chunked")]
)
async def test_an_endless_body_is_refused_at_the_cap_without_reading_it_all(
    declared: bool,
) -> None:
    """A reply over 4 MiB is an APIError with a bounded body, whether declared or not."""

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        if declared:
            await stream.send(head(200, JSON, length=10**12))
            chunk = b" " * 65536
        else:
            await stream.send(head(200, {**JSON, "Transfer-Encoding": "chunked"}))
            chunk = b"10000\r\n" + b" " * 65536 + b"\r\n"
        while True:  # never ends: a client that buffered it whole would never answer
            await stream.send(chunk)

    async with (
        raw_server(handle) as base_url,
        AsyncEasify("t", base_url=base_url, rate_limits=None, max_retries=0, timeout=5) as easify,
    ):
        with pytest.raises(APIError) as caught:
            await send(easify)
    assert "4 MiB cap" in str(caught.value)
    assert caught.value.maybe_sent
    assert len(caught.value.body) <= 16 * 1024
