"""A call with a key while it is under way: its claim heartbeats, and a cancelled call
releases the key if nothing went out, or leaves it ambiguous if its request did."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import httpx
import pytest

from easify_async import AsyncEasify, RateLimit, RateLimits
from easify_async.errors import UnknownOutcomeError
from easify_async.ledgers import Ledger

pytestmark = pytest.mark.anyio

MakeLedger = Callable[..., Ledger]
FROM, TO = "3152930000", "+13151350000"


class HeldTransport(httpx.AsyncBaseTransport):
    """Takes each request and never answers; ``arrived`` is set when one is taken."""

    def __init__(self) -> None:
        self.arrived = anyio.Event()
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self.arrived.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


async def test_a_claim_heartbeats_while_its_request_is_under_way(
    make_ledger: MakeLedger,
) -> None:
    """The claimer renews its lease while the server holds the request: the heartbeat
    time moves on and the claimer stays alive past several leases."""
    ledger = make_ledger(lease=0.15)
    transport = HeldTransport()
    async with (
        AsyncEasify("t", transport=transport, ledger=ledger) as easify,
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(lambda: easify.sms.send(FROM, TO, message="Hi", idempotency_key="k"))
        await transport.arrived.wait()
        first = await ledger.entry("k")
        assert first is not None
        seen = {first.heartbeat_at}
        with anyio.fail_after(30):
            while len(seen) < 4:
                await anyio.sleep(0.02)
                entry = await ledger.entry("k")
                assert entry is not None
                seen.add(entry.heartbeat_at)
        tg.cancel_scope.cancel()


async def test_a_call_cancelled_while_its_request_is_out_leaves_the_key_ambiguous(
    make_ledger: MakeLedger,
) -> None:
    """Cancelled after the request went out (it may have acted): recorded maybe sent, so
    the next call raises UnknownOutcomeError and makes no request."""
    ledger = make_ledger()
    transport = HeldTransport()
    async with AsyncEasify("t", transport=transport, ledger=ledger) as easify:
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: easify.sms.send(FROM, TO, message="Hi", idempotency_key="k"))
            await transport.arrived.wait()
            tg.cancel_scope.cancel()
        entry = await ledger.entry("k")
        assert entry is not None
        assert entry.state == "failed"
        assert entry.ambiguous
        with pytest.raises(UnknownOutcomeError):
            await easify.sms.send(FROM, TO, message="Hi", idempotency_key="k")
    assert transport.requests == 1


async def test_a_call_cancelled_before_its_request_went_out_releases_the_key(
    make_ledger: MakeLedger,
) -> None:
    """Cancelled while waiting for a rate-limit slot (nothing went out): the key is free."""
    ledger = make_ledger()
    transport = HeldTransport()
    one_a_day = RateLimits(sms_send=RateLimit(1, 86400.0))
    async with AsyncEasify(
        "t", transport=transport, ledger=ledger, rate_limits=one_a_day
    ) as easify:
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: easify.sms.send(FROM, TO, message="Hi"))  # takes the slot
            await transport.arrived.wait()
            tg.start_soon(lambda: easify.sms.send(FROM, TO, message="Hi", idempotency_key="k"))
            with anyio.fail_after(30):
                while await ledger.entry("k") is None:
                    await anyio.sleep(0.01)
            tg.cancel_scope.cancel()
        assert await ledger.entry("k") is None
    assert transport.requests == 1
