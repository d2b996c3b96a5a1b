"""The gate between rate-limit slots and the connection pool: first come first served,
cancellation takes nothing with it, closing refuses the rest and waits for those inside;
a pool stuck below it is replaced (the SDK's) or named in the error (the user's)."""

from __future__ import annotations

import asyncio
import logging

import anyio
import httpx
import pytest

from easify_async import APITimeoutError, AsyncEasify
from easify_async._transports._gate import ConnectionGate
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import served

pytestmark = pytest.mark.anyio


async def test_waiters_get_places_in_arrival_order_and_freed_places_are_reused_first() -> None:
    """Three waiters behind a full gate of two enter in the order they came; the place
    freed last is the one handed on, so a quiet client keeps to few connections."""
    gate = ConnectionGate(2)
    first, second = await gate.enter(), await gate.enter()
    assert (first, second) == (0, 1)
    entered: list[tuple[str, int]] = []

    async def wait(name: str) -> None:
        entered.append((name, await gate.enter()))

    async with anyio.create_task_group() as group:
        for name in "abc":
            group.start_soon(wait, name)
            await anyio.wait_all_tasks_blocked()
        gate.leave(second)
        gate.leave(first)
        await anyio.wait_all_tasks_blocked()
        # trio may run the two woken tasks in either order: who got which place counts.
        assert dict(entered) == {"a": 1, "b": 0}
        gate.leave(1)
    assert dict(entered) == {"a": 1, "b": 0, "c": 1}
    gate.leave(0)
    gate.leave(1)
    assert await gate.enter() == 1


async def test_a_cancelled_waiter_takes_nothing_with_it() -> None:
    """A waiter cancelled while it waits, or just as it was handed a place, leaves the place
    to the next waiter (or, if it entered before the cancellation landed, gives it back
    as any request does); the gate ends with every place free."""
    gate = ConnectionGate(1)
    place = await gate.enter()
    entered: list[str] = []

    async def wait(name: str, scope: anyio.CancelScope) -> None:
        with scope:
            entered.append(name)
            await gate.enter()
            entered.append(f"{name} in")
            await anyio.sleep_forever()  # holds the place until cancelled...
        if f"{name} in" in entered:
            gate.leave(place)  # ...then gives it back

    async with anyio.create_task_group() as group:
        waiting, handed, last = anyio.CancelScope(), anyio.CancelScope(), anyio.CancelScope()
        for name, scope in (("waiting", waiting), ("handed", handed), ("last", last)):
            group.start_soon(wait, name, scope)
            await anyio.wait_all_tasks_blocked()
        waiting.cancel()
        await anyio.wait_all_tasks_blocked()
        gate.leave(place)  # to `handed`, which is cancelled before it runs
        handed.cancel()
        await anyio.wait_all_tasks_blocked()
        assert "last in" in entered
        assert "waiting in" not in entered
        last.cancel()
    assert gate._free == [0]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_waiter_cancelled_as_it_is_handed_a_place_passes_it_on() -> None:
    """A waiter handed a place and cancelled before it has run (a task cancelled by
    asyncio itself, as ``asyncio.timeout`` does: anyio's scopes and trio let a handed task
    run first, the test above) raises its cancellation and hands the place to the next
    waiter, which is not stranded; the gate ends with every place free."""
    gate = ConnectionGate(1)
    place = await gate.enter()
    handed = asyncio.create_task(gate.enter())
    after = asyncio.create_task(gate.enter())
    await anyio.wait_all_tasks_blocked()
    gate.leave(place)  # to `handed`, which is cancelled before it runs
    handed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await handed
    with anyio.fail_after(5):
        assert await after == place
    gate.leave(place)
    assert gate._free == [0]


async def test_closing_refuses_waiters_and_later_requests_and_waits_for_those_inside() -> None:
    """close() returns only once the request inside has left; a waiter and a new request
    are refused with RuntimeError, without taking a place."""
    gate = ConnectionGate(1)
    place = await gate.enter()
    refused: list[str] = []
    closed = anyio.Event()

    async def wait() -> None:
        with pytest.raises(RuntimeError, match="has been closed"):
            await gate.enter()
        refused.append("waiter")

    async def close() -> None:
        await gate.close()
        closed.set()

    async with anyio.create_task_group() as group:
        group.start_soon(wait)
        await anyio.wait_all_tasks_blocked()
        group.start_soon(close)
        await anyio.wait_all_tasks_blocked()
        assert not closed.is_set()
        with pytest.raises(RuntimeError, match="has been closed"):
            await gate.enter()
        gate.leave(place)
    assert closed.is_set()
    assert refused == ["waiter"]
    assert gate._free == [0]


async def jam(pool: httpx.AsyncBaseTransport, url: str) -> httpx.Response:
    """Take ``pool``'s one connection with a reply never read: held by no SDK request,
    as a connection slot left behind by httpcore issue #1093 is."""
    return await pool.handle_async_request(httpx.Request("GET", url))


async def test_a_stuck_pool_of_the_sdks_is_replaced_and_the_send_goes_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The connection behind the gate's first place is held by nobody: the send's attempt
    meets a PoolTimeout, the pool is replaced, and the retry (the request never left)
    goes out through a fresh connection."""
    sandbox = Sandbox()
    timeout = httpx.Timeout(5.0, pool=0.2)
    async with (
        served(sandbox) as base_url,
        AsyncEasify(DEMO_TOKEN, base_url=base_url, timeout=timeout) as e,
    ):
        await e.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="1")
        stuck = e._pool._pools[0]
        assert stuck is not None
        held = await jam(stuck, f"{base_url}/sms/status?sms_id=1")
        with caplog.at_level(logging.WARNING, logger="easify_async"):
            await e.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="2")
        assert e._pool._pools[0] not in (None, stuck)
        await held.aclose()
    assert [s.message for s in sandbox.sent_sms] == ["1", "2"]
    assert "stopped making progress" in caplog.text


async def test_a_stuck_pool_of_the_users_is_named_in_the_error() -> None:
    """The user's own transport (one connection, so a gate of one) is not replaced: the
    error says the pool stopped making progress, and nothing was sent."""
    sandbox = Sandbox()
    pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))
    timeout = httpx.Timeout(5.0, pool=0.1)
    async with served(sandbox) as base_url:
        easify = AsyncEasify(
            DEMO_TOKEN, base_url=base_url, transport=pool, timeout=timeout, max_retries=0
        )
        assert easify._pool.gate.size == 1
        held = await jam(pool, f"{base_url}/sms/status?sms_id=1")
        with pytest.raises(APITimeoutError, match="stopped making progress") as caught:
            await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="1")
        assert not caught.value.maybe_sent
        await held.aclose()
        await easify.aclose()
    assert sandbox.sent_sms == []


async def test_the_gate_is_as_wide_as_a_given_clients_pool() -> None:
    """With http_client=, the gate lets in as many requests as that client's pool has
    connections (httpx's 100 for a transport of unknown kind)."""
    async with (
        httpx.AsyncClient(limits=httpx.Limits(max_connections=7)) as client,
        AsyncEasify(DEMO_TOKEN, http_client=client) as easify,
        AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as in_process,
    ):
        assert easify._pool.gate.size == 7
        assert in_process._pool.gate.size == 100
