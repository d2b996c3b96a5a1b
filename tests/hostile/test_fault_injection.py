"""A seeded random mix of hostile replies over a real socket: typed, bounded, never twice."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from collections.abc import Callable, Coroutine
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest
from anyio.abc import SocketStream
from attrs import Factory, define

from easify_async import AsyncEasify, EasifyError, RateLimits
from tests._leaks import assert_no_token
from tests.hostile._server import Exchange, head, raw_server, reset, respond

pytestmark = [
    pytest.mark.anyio,
    # httpcore abandons the request body's iterator when the peer resets while it writes;
    # trio reports that at GC. Not the SDK's stream: every layer it reads is finished.
    pytest.mark.filterwarnings(
        "ignore:Async generator 'httpx._content.ByteStream.__aiter__':ResourceWarning"
    ),
]

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3080000"
SEED = 20261201
CALLS = 300
TIMEOUT = 0.5  # each phase; an attempt's deadline is the four added: 2 s
MAX_RETRIES = 2
RETRY_DEADLINE = 3.0
# Generous: every attempt at its deadline plus the longest retry waits, plus slack for two
# busy cores. A call past this hangs; it is not a timing claim.
CALL_BOUND = (MAX_RETRIES + 1) * 4 * TIMEOUT + RETRY_DEADLINE + 10.0

JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html"}
TOO_MANY = b'{"status":false,"message":"Too many requests.","errors":[]}'


def sent(sms_id: str) -> bytes:
    return json.dumps({"status": True, "message": " ok", "data": {"sms_id": sms_id}}).encode()


STATUS = b'{"status":true,"message":"ok","data":{"status":"Delivered","remarks":""}}'


async def stall(stream: SocketStream) -> bool:
    await anyio.sleep(60)  # far past any deadline; the server is cancelled at the end
    return False


# Each fault: (name, whether the server acted on a send it read, the reply).
Reply = Callable[[SocketStream, bytes], Coroutine[Any, Any, bool]]


async def success(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, ok, JSON)
    return True


async def html_5xx(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", HTML)
    return True


async def truncated(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, ok[: len(ok) // 2], JSON)
    return True


async def mistyped(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, b'{"status":true,"message":"ok","data":{"sms_id":[1,{}]}}', JSON)
    return True


async def deep_json(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, b"[" * 100_000, JSON)
    return True


async def gzip_garbage(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, b"not gzip at all" * 10, {**JSON, "Content-Encoding": "gzip"})
    return True


async def gzip_good(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, gzip.compress(ok), {**JSON, "Content-Encoding": "gzip"})
    return True


async def oversized(stream: SocketStream, ok: bytes) -> bool:
    await respond(stream, 200, b" " * (5 * 1024 * 1024), JSON)
    return False


async def endless(stream: SocketStream, ok: bytes) -> bool:
    await stream.send(head(200, {**JSON, "Transfer-Encoding": "chunked"}))
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    for _ in range(200):  # 12.5 MiB, more than the cap, never finished
        await stream.send(chunk)
    return await stall(stream)


async def trickled(stream: SocketStream, ok: bytes) -> bool:
    await stream.send(head(200, JSON, length=20_000))
    for _ in range(400):  # each read waits less than its timeout; the whole never ends in time
        await stream.send(b" " * 50)
        await anyio.sleep(TIMEOUT / 3)
    return False


async def reset_after_read(stream: SocketStream, ok: bytes) -> bool:
    await reset(stream)
    return False


async def reset_mid_body(stream: SocketStream, ok: bytes) -> bool:
    await stream.send(head(200, JSON, length=len(ok)) + ok[:5])
    await reset(stream)
    return False


async def stall_before_reply(stream: SocketStream, ok: bytes) -> bool:
    return await stall(stream)


async def stall_mid_body(stream: SocketStream, ok: bytes) -> bool:
    await stream.send(head(200, JSON, length=len(ok)) + ok[:5])
    return await stall(stream)


def too_many(retry_after: str | None, body: bytes = TOO_MANY) -> Reply:
    async def reply(stream: SocketStream, ok: bytes) -> bool:
        headers = {**JSON} if retry_after is None else {**JSON, "Retry-After": retry_after}
        await respond(stream, 429, body, headers)
        return True

    return reply


async def too_many_reset_mid_body(stream: SocketStream, ok: bytes) -> bool:
    await stream.send(head(429, JSON, length=len(TOO_MANY)) + TOO_MANY[:5])
    await reset(stream)
    return False


FAULTS: list[tuple[str, bool, int, Reply]] = [
    # name, acted (a send the server read, then did not refuse), weight, reply
    ("success", True, 30, success),
    ("gzip-success", True, 4, gzip_good),
    ("html-5xx", True, 5, html_5xx),
    ("truncated-json", True, 4, truncated),
    ("mistyped-json", True, 4, mistyped),
    ("deep-json", True, 2, deep_json),
    ("gzip-garbage", True, 3, gzip_garbage),
    ("oversized", True, 2, oversized),
    ("endless", True, 1, endless),
    ("trickled", True, 2, trickled),
    ("reset-after-read", True, 4, reset_after_read),
    ("reset-mid-body", True, 3, reset_mid_body),
    ("stall-before-reply", True, 3, stall_before_reply),
    ("stall-mid-body", True, 2, stall_mid_body),
    ("429-nan", False, 2, too_many("nan")),
    ("429-negative", False, 2, too_many("-5")),
    ("429-huge", False, 2, too_many("99999999")),
    ("429-inf", False, 1, too_many("inf")),
    ("429-http-date", False, 2, too_many(formatdate(0, usegmt=True))),
    ("429-no-wait", False, 3, too_many(None)),
    ("429-absurd-body", False, 2, too_many(None, b"Try again in 99999999 seconds")),
    ("429-reset-mid-body", False, 2, too_many_reset_mid_body),
]


@define
class FaultServer:
    """Answers each request with a fault drawn from the message it carries and its attempt."""

    received: Counter[str] = Factory(Counter)
    acted: Counter[str] = Factory(Counter)
    read_after_acted: list[str] = Factory(list)
    drawn: Counter[str] = Factory(Counter)
    connections: random.Random = Factory(lambda: random.Random(SEED))

    def accept(self) -> bool:
        """One connection in twenty is reset before the server reads a byte."""
        accepted = self.connections.random() >= 0.05
        self.drawn["reset-before-read" if not accepted else "connection"] += 1
        return accepted

    def draw(self, key: str) -> tuple[str, bool, Reply]:
        rng = random.Random(f"{SEED}:{key}:{self.received[key]}")
        name, acted, _, reply = rng.choices(FAULTS, weights=[f[2] for f in FAULTS])[0]
        return name, acted, reply

    async def handle(self, exchange: Exchange, stream: SocketStream) -> bool:
        if exchange.method == "POST":
            key = json.loads(exchange.body)["message"]
            ok = sent(key.removeprefix("m-"))
        else:
            key = "status:" + parse_qs(urlsplit(exchange.target).query)["sms_id"][0]
            ok = STATUS
        if self.acted[key]:
            self.read_after_acted.append(key)
        self.received[key] += 1
        name, acted, reply = self.draw(key)
        self.drawn[name] += 1
        if acted:
            self.acted[key] += 1
        return await reply(stream, ok)


@pytest.mark.parametrize(
    ("calls", "rate_limits"),
    [
        pytest.param(CALLS, None, id="unlimited"),
        # Periods of 0.3 s: slots and pauses are exercised, and a slot a fault kept would
        # hang every later call.
        pytest.param(CALLS // 3, RateLimits().scaled(0.005), id="rate-limited"),
    ],
)
async def test_hostile_replies_are_typed_bounded_and_never_resent(
    calls: int, rate_limits: RateLimits | None
) -> None:
    """Calls through a random fault mix: only EasifyError, no hang, no send twice."""
    server = FaultServer()
    outcomes: dict[str, BaseException | None] = {}
    elapsed: list[float] = []
    limit = anyio.Semaphore(30)

    async def call(easify: AsyncEasify, i: int) -> None:
        async with limit:
            start = anyio.current_time()
            key = f"m-{i}" if i % 4 else f"status:{i}"
            with anyio.fail_after(CALL_BOUND * 2):  # a hang fails the test, never stalls it
                try:
                    if i % 4:
                        await easify.sms.send("3152930000", "+13151350000", message=key)
                    else:
                        await easify.sms.status(str(i))
                    outcomes[key] = None
                except Exception as exc:
                    outcomes[key] = exc
            elapsed.append(anyio.current_time() - start)

    with anyio.fail_after(120):
        async with (
            raw_server(server.handle, accept=server.accept) as base_url,
            AsyncEasify(
                TOKEN,
                base_url=base_url,
                timeout=TIMEOUT,
                max_retries=MAX_RETRIES,
                retry_deadline=RETRY_DEADLINE,
                rate_limits=rate_limits,
            ) as easify,
            anyio.create_task_group() as tasks,
        ):
            for i in range(calls):
                tasks.start_soon(call, easify, i)

    assert len(outcomes) == calls
    drawn = {"reset-before-read", *(name for name, _, _, _ in FAULTS)}
    if calls == CALLS:  # the shorter run need not draw every one
        assert drawn <= set(server.drawn), "the seed must draw every fault"
    errors = [e for e in outcomes.values() if e is not None]
    escaped = [e for e in errors if not isinstance(e, EasifyError)]
    assert not escaped
    for error in errors:
        assert_no_token(error, TOKEN)
    assert max(elapsed) < CALL_BOUND
    sends = [k for k in server.received if k.startswith("m-")]
    assert all(server.acted[k] <= 1 for k in sends)
    assert not [k for k in server.read_after_acted if k.startswith("m-")]
    for key in sends:
        error = outcomes[key]
        if error is not None:
            maybe_sent = getattr(error, "maybe_sent", None)
            assert isinstance(maybe_sent, bool), (key, error)
            if server.acted[key]:
                assert maybe_sent, (key, error)
    assert sum(e is None for e in outcomes.values()) > calls // 5  # the successes got through
