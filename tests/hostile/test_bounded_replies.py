"""Replies over a real socket are read whole or refused: no leak, no hang, no held slot."""

from __future__ import annotations

from pathlib import Path

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
from easify_async.bulk import Outcome, SmsMessage
from tests._leaks import assert_no_token
from tests.fakes import SMS_SENT
from tests.hostile._server import Exchange, head, raw_server, reset, respond

pytestmark = pytest.mark.anyio

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3080000"
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
            TOKEN, base_url=base_url, transport=pool, rate_limits=None, max_retries=0, timeout=2
        ) as easify,
    ):
        for _ in range(5):
            with pytest.raises(RateLimitError) as caught:
                await send(easify)
            assert_no_token(caught.value, TOKEN)
            assert caught.value.retry_after == 0.0
            assert caught.value.maybe_sent is False


class _Recorder:
    """A limiter that grants every slot and records what the transport asks of it."""

    def __init__(self) -> None:
        self.events: list[object] = []

    async def acquire(self, key: str, *, limit: int, hold: float) -> _Recorder:
        self.events.append("acquire")
        return self

    async def release(self, *, counted: bool = True, **_: object) -> None:
        self.events.append("release" if counted else "release-uncounted")

    async def pause(self, key: str, seconds: float) -> None:
        self.events.append(("pause", seconds))

    async def aclose(self) -> None:
        """Nothing to close."""


async def test_a_cut_off_429_pauses_a_window_and_its_retry_goes_out() -> None:
    """Its wait is unknown: the key pauses one window (before the slot is given back,
    uncounted), then the retry is made and its answer taken, on the same call."""
    answered = 0

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        nonlocal answered
        answered += 1
        if answered == 1:
            await stream.send(head(429, JSON, length=len(TOO_MANY)) + TOO_MANY[:5])
            await reset(stream)
            return False
        await respond(stream, 200, SENT, JSON)
        return True

    limiter = _Recorder()
    async with (
        raw_server(handle) as base_url,
        AsyncEasify(TOKEN, base_url=base_url, limiter=limiter, max_retries=1, timeout=2) as easify,
    ):
        assert await send(easify)
    assert limiter.events == [
        "acquire", ("pause", 60.0), "release-uncounted", "acquire", "release",
    ]  # fmt: skip
    assert answered == 2


async def test_a_bulk_item_cut_off_after_a_429_head_is_not_sent_and_resent(
    tmp_path: Path,
) -> None:
    """NOT_SENT (not MAYBE_SENT) after the retries; the rerun with the journal sends it."""
    answered = 0

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        nonlocal answered
        answered += 1
        if answered == 1:
            await stream.send(head(429, JSON, length=len(TOO_MANY)) + TOO_MANY[:5])
            await reset(stream)
            return False
        await respond(stream, 200, SENT, JSON)
        return True

    item = SmsMessage(from_number="3152930000", to_number="+13151350000", message="hi")
    journal = tmp_path / "run.db"
    async with (
        raw_server(handle) as base_url,
        AsyncEasify(TOKEN, base_url=base_url, rate_limits=None, max_retries=0, timeout=2) as e,
    ):
        with anyio.fail_after(10):
            (first,) = [r async for r in e.sms.send_many([item], journal=journal)]
            (again,) = [r async for r in e.sms.send_many([item], journal=journal)]
    assert first.outcome is Outcome.NOT_SENT
    assert isinstance(first.error, APIConnectionError)
    assert first.error.maybe_sent is False
    assert again.outcome is Outcome.SENT
    assert answered == 2


async def test_a_429_whose_body_never_arrives_gives_its_slot_back_and_is_not_sent() -> None:
    """Reset mid-body, a 429 was not counted by the server: its slot is free, not held,
    and the error says the server did not act (the key pauses a window: limits scaled)."""
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

    # Two slots a window: a slot held as if counted would hold the fourth send a window.
    # The window is short because the key also pauses one after each cut-off 429.
    limits = RateLimits(sms_send=RateLimit(2, 0.2), margin=0.0)
    async with (
        raw_server(handle) as base_url,
        AsyncEasify(
            TOKEN, base_url=base_url, rate_limits=limits, max_retries=0, timeout=2
        ) as easify,
    ):
        for _ in range(3):
            with pytest.raises(APIConnectionError) as caught:
                await send(easify)
            assert_no_token(caught.value, TOKEN)
            assert caught.value.maybe_sent is False
            assert "refused it with a 429" in str(caught.value)
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
        AsyncEasify(
            TOKEN, base_url=base_url, rate_limits=None, max_retries=0, timeout=0.2
        ) as easify,
    ):
        with pytest.raises(APITimeoutError) as caught:
            await send(easify)
        assert_no_token(caught.value, TOKEN)
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
        AsyncEasify(TOKEN, base_url=base_url, rate_limits=None, max_retries=0, timeout=5) as easify,
    ):
        with pytest.raises(APIError) as caught:
            await send(easify)
        assert_no_token(caught.value, TOKEN)
    assert "4 MiB cap" in str(caught.value)
    assert caught.value.maybe_sent
    assert len(caught.value.body) <= 16 * 1024
