"""A call takes its first rate-limit slot and gate place before its request is built: a
send that waits holds no request; what it took goes back when its request never leaves."""

from __future__ import annotations

import anyio
import httpx
import pytest
import trio.testing

from easify_async import AsyncEasify, RateLimit, RateLimits
from easify_async._routes import SMS_SEND
from easify_async._transports._admission import Admit
from easify_async._transports._gate import ConnectionGate
from easify_async._transports._ratelimit import RateLimitTransport
from easify_async._transports._shared import POOL_SIZE
from easify_async.limiters import LocalLimiter
from tests.fakes import Counting, LaravelWindowServer, Recorder

pytestmark = pytest.mark.anyio

VIRTUAL = [
    pytest.param(
        ("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio-virtual-clock"
    )
]


def limits(limit: int, period: float = 1.0, margin: float = 0.5) -> RateLimits:
    return RateLimits(sms_send=RateLimit(limit, period), margin=margin)


class Silent(httpx.AsyncBaseTransport):
    """A server that takes every request and never answers."""

    def __init__(self) -> None:
        self.arrived = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.arrived += 1
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many requests the SDK's httpx clients have built so far, as a one-item list."""
    count = [0]
    build = httpx.AsyncClient.build_request

    def counting(self: httpx.AsyncClient, *args: object, **kwargs: object) -> httpx.Request:
        count[0] += 1
        return build(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.AsyncClient, "build_request", counting)
    return count


async def send(easify: AsyncEasify, n: int = 0) -> None:
    await easify.sms.send("3152930000", f"+1315135{n:04d}", message="hi", force_send=True)


async def test_a_send_waiting_for_its_slot_has_built_no_request(built: list[int]) -> None:
    """Twelve sends on a cold key of five slots: the probe is out, and the eleven that
    wait for a slot (its reply never comes) have built nothing."""
    server = Silent()
    async with (
        AsyncEasify("t", transport=server, rate_limits=limits(5)) as easify,
        anyio.create_task_group() as group,
    ):
        for n in range(12):
            group.start_soon(send, easify, n)
        await anyio.wait_all_tasks_blocked()
        assert (built[0], server.arrived) == (1, 1)
        group.cancel_scope.cancel()


async def test_a_send_waiting_for_a_connection_has_built_no_request(built: list[int]) -> None:
    """Without client-side limits, five sends more than the gate's places wait for one
    without a request."""
    server = Silent()
    async with (
        AsyncEasify("t", transport=server, rate_limits=None) as easify,
        anyio.create_task_group() as group,
    ):
        for n in range(POOL_SIZE + 5):
            group.start_soon(send, easify, n)
        await anyio.wait_all_tasks_blocked()
        assert (built[0], server.arrived) == (POOL_SIZE, POOL_SIZE)
        group.cancel_scope.cancel()


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_each_request_is_built_only_as_it_goes_out(built: list[int]) -> None:
    """Forty sends through windows of five, 429s and their retries included (the server's
    window was half spent by others, unsaid): whenever a request is built, every
    request built before it has reached the server. Nothing is sent twice."""
    server = LaravelWindowServer(limit=5, period=1.0, latency=lambda: 0.05, headers=False)
    arrived = Counting(server.transport())
    gaps: list[int] = []  # at each build: requests built before it, not yet at the server
    build = httpx.AsyncClient.build_request

    def watching(self: httpx.AsyncClient, *args: object, **kwargs: object) -> httpx.Request:
        gaps.append(built[0] - len({id(request) for request in arrived.requests}))
        return build(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx.AsyncClient, "build_request", watching)
        # The server's window is half spent by others and it does not say so: some
        # first attempts meet a 429 and are retried through the layers.
        async with AsyncEasify("t", transport=arrived, rate_limits=limits(5)) as easify:
            server.window_start = anyio.current_time() - 0.5  # a window others opened
            server.hits = 3
            server.windows.append(3)
            async with anyio.create_task_group() as group:
                for n in range(40):
                    group.start_soon(send, easify, n)
    assert server.accepted == 40
    assert server.rejected > 0  # retries were made (reusing their request)
    assert len(arrived.requests) == 40 + server.rejected
    assert len(gaps) == 40
    assert set(gaps) == {0}


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_send_whose_client_closed_while_it_waited_gives_its_slot_back() -> None:
    """A child closed while its send waits for a slot: the send fails without going out,
    and the slot it then took is free at once (not held for a window), the place too."""
    recorder = Recorder()
    limiter = LocalLimiter()
    async with AsyncEasify(
        "t", transport=recorder.transport(), rate_limits=limits(1), limiter=limiter
    ) as easify:
        child = easify.with_options(timeout=5.0)
        await send(child)  # the one slot: taken until 1.5 s after its reply
        failure: list[BaseException] = []

        async def waiting() -> None:
            try:
                await send(child, 1)
            except RuntimeError as exc:
                failure.append(exc)

        async with anyio.create_task_group() as group:
            group.start_soon(waiting)
            await anyio.sleep(0.1)
            await child.aclose()
        assert [type(exc) for exc in failure] == [RuntimeError]
        assert "closed" in str(failure[0])
        assert len(recorder.requests) == 1
        freed = anyio.current_time()
        await send(easify, 2)  # the same token's key: no wait for a held slot
        assert anyio.current_time() == freed
        assert len(easify._pool.gate._free) == easify._pool.gate.size
    assert len(recorder.requests) == 2


async def test_a_call_cancelled_at_the_gate_gives_its_slot_back() -> None:
    """A call that has its slot and is cancelled while it waits for a place takes
    neither with it: the slot is free at once (it never went out)."""
    limiter = LocalLimiter()
    rate = RateLimitTransport(
        httpx.MockTransport(lambda request: httpx.Response(200)),
        limiter=limiter,
        rate_limits=limits(1),
        token_key="k",
    )
    gate = ConnectionGate(1)
    admit = Admit(gate, rate)
    held = await gate.enter()  # the one place, taken by another request
    with anyio.move_on_after(0.05) as scope:
        await admit.place(await admit.slot(SMS_SEND), 0.0)
    assert scope.cancelled_caught
    bucket = limiter._buckets[f"k:{SMS_SEND.bucket}"]
    assert (bucket.in_flight, bucket.frees_at) == (0, [])
    gate.leave(held)
    # The key's one slot and the place, at once.
    admission = await admit.place(await admit.slot(SMS_SEND), 0.25)
    assert (admission.place, admission.wait) == (0, 0.25)
    await admission.give_back()
    assert (bucket.in_flight, bucket.frees_at, gate._free) == (0, [], [0])


def awaited_chain(coroutine: object) -> list[str]:
    """What a suspended coroutine awaits, down to the object it waits on: each link's
    qualified name (a coroutine's), or its type's (a future's iterator, a generator)."""
    chain = []
    link = coroutine
    while link is not None:
        coroutine = hasattr(link, "cr_code")
        chain.append(link.__qualname__ if coroutine else type(link).__name__)  # type: ignore[attr-defined]
        link = getattr(link, "cr_await", None)
    return chain


async def test_a_send_queued_for_its_slot_is_three_frames_of_the_sdk_and_one_wait() -> None:
    """A send queued for a slot (thousands may be) waits in the request path's two frames
    and the limiter's, on one future (asyncio) or its parked task (trio): no lock's or
    event's frames of anyio's (benchmarks/bench_tokens.py, memory per waiting send)."""
    server = Silent()
    async with (
        AsyncEasify("t", transport=server, rate_limits=limits(5)) as easify,
        anyio.create_task_group() as group,
    ):
        # The probe goes out first; the second waits for the turn, the third in the queue.
        sends = [easify.sms.send("3152930000", f"+1315135{n:04d}", message="hi") for n in range(3)]

        async def run(index: int) -> None:
            await sends[index]

        for index in range(3):
            group.start_soon(run, index)
            await anyio.wait_all_tasks_blocked()
        chain = awaited_chain(sends[2])
        assert chain[:4] == ["Sms.send", "HttpCore.call", "HttpCore._send", "LocalLimiter.acquire"]
        # asyncio: the future's own iterator; trio: its parking call (and trio's yield)
        assert chain[4:] in (["FutureIter"], ["wait_task_rescheduled", "generator"])
        group.cancel_scope.cancel()


WAITING_AT_THE_GATE = [
    "Sms.send",
    "HttpCore.call",
    "HttpCore._send",
    "Admit.place",
    "ConnectionGate.enter",
]


async def test_a_send_waiting_at_the_gate_is_four_frames_of_the_sdk_and_one_wait() -> None:
    """A send waiting for a connection (thousands may: each token's burst waits for the
    pool) holds the request path's frames and the gate's, on one future (asyncio) or its
    parked task (trio): no event of anyio's, nor the asyncio event and deque inside it."""
    server = Silent()
    async with (
        AsyncEasify("t", transport=server, rate_limits=None) as easify,
        anyio.create_task_group() as group,
    ):
        for n in range(POOL_SIZE):
            group.start_soon(send, easify, n)
        await anyio.wait_all_tasks_blocked()
        waiting = easify.sms.send("3152930000", "+13151359999", message="hi")

        async def run() -> None:
            await waiting

        group.start_soon(run)
        await anyio.wait_all_tasks_blocked()
        assert awaited_chain(waiting) in (
            [*WAITING_AT_THE_GATE, "FutureIter"],
            [*WAITING_AT_THE_GATE, "wait_task_rescheduled", "generator"],
        )
        group.cancel_scope.cancel()
