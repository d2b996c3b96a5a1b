"""Kills between a claim and its record: a SIGKILLed sender's key is never sent again
until settled; a Redis server SIGKILLed and restarted (persisting every write) loses no
claim, so nothing is sent twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from pathlib import Path

import anyio
import pytest

from easify_async import AsyncEasify, RateLimits
from easify_async.errors import UnknownOutcomeError
from easify_async.ledgers import Ledger, LedgerEntry, RedisLedger, SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox
from tests._served import served
from tests.limiters.conftest import RedisServer, _free_port, _redis_binary

from .conftest import DURABLE

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]
TO = "+13151350000"
LEASE = 0.3


async def entry_when(ledger: Ledger, key: str, *, alive: bool) -> LedgerEntry:
    """Wait until ``key`` is claimed, with its claimer ``alive`` or gone; its entry."""
    with anyio.fail_after(60):
        while (entry := await ledger.entry(key)) is None or entry.claimer_alive != alive:
            await anyio.sleep(0.01)
    return entry


@pytest.mark.parametrize(
    ("anyio_backend", "store"),
    [
        ("asyncio", "sqlite"),
        ("trio", "sqlite"),
        pytest.param("asyncio", "redis", marks=pytest.mark.redis),
    ],
)
async def test_a_sender_killed_mid_request_leaves_its_key_ambiguous_never_resent(
    tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    """A process SIGKILLed after claiming its key, its request held by the server: the next
    call with the key raises UnknownOutcomeError (maybe_sent, the key) and sends nothing,
    on every later try, until the key is settled."""
    key = f"order-{uuid.uuid4().hex}"  # the Redis server is the session's
    if store == "redis":
        server: RedisServer = request.getfixturevalue("durable_redis")
        where = server.url
        ledger: Ledger = RedisLedger(where, lease=LEASE)
    else:
        where = str(tmp_path / "ledger.db")
        ledger = SqliteLedger(where, lease=LEASE)
    # The server holds each request for long: the kill lands between claim and record.
    sandbox = Sandbox(period=1.0, faults=Faults(latency=(30.0, 30.0)))
    async with served(sandbox) as base_url:
        command = [sys.executable, "-m", "tests.ledgers.send_runner"]
        command += [base_url, store, where, key, str(LEASE)]
        async with await anyio.open_process(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process:
            claimed = await entry_when(ledger, key, alive=True)
            process.send_signal(signal.SIGKILL)
            await process.wait()
        gone = await entry_when(ledger, key, alive=False)
        assert gone.claimer == claimed.claimer
        assert gone.ambiguous
        sandbox.faults = Faults()
        async with AsyncEasify(
            DEMO_TOKEN, base_url=base_url, ledger=ledger, rate_limits=RateLimits().scaled(1 / 60)
        ) as easify:
            for _ in range(2):
                with pytest.raises(UnknownOutcomeError) as caught:
                    await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key=key)
                assert caught.value.key == key
                assert caught.value.maybe_sent
                assert str(claimed.claimer) in str(caught.value)
            sent_before = len(sandbox.sent_sms)
            assert sent_before <= 1
            await ledger.settle(key, sent=False)  # checked by hand: not sent
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key=key)
        assert len(sandbox.sent_sms) == sent_before + 1
    await ledger.aclose()


@pytest.mark.redis
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_redis_server_killed_between_claim_and_record_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    """Redis (appendfsync always) SIGKILLed and restarted while a send with a key is at
    the server: that call ends with its result; later calls with the key get that result
    or UnknownOutcomeError, never a second SMS."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path, options=DURABLE)
    server.start()
    sandbox = Sandbox(period=1.0, faults=Faults(latency=(0.5, 0.5)))
    try:
        ledger = RedisLedger(server.url, lease=LEASE)
        async with (
            served(sandbox) as base_url,
            AsyncEasify(DEMO_TOKEN, base_url=base_url, ledger=ledger, rate_limits=None) as easify,
        ):
            outcome: list[object] = []

            async def send() -> None:
                outcome.append(
                    await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
                )

            async with anyio.create_task_group() as tg:
                tg.start_soon(send)
                await entry_when(ledger, "k", alive=True)
                assert server.process is not None
                server.process.send_signal(signal.SIGKILL)
                await anyio.to_thread.run_sync(server.process.wait)
                server.process = None
                await anyio.to_thread.run_sync(server.start)
            [sent] = outcome
            assert len(sandbox.sent_sms) == 1
            # Recorded after the restart (redis-py reconnects), or the claim ran out.
            after = await entry_when(ledger, "k", alive=False)
            assert after.state in ("completed", "in_progress")
            for _ in range(3):
                try:
                    again = await easify.sms.send(
                        DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k"
                    )
                except UnknownOutcomeError:
                    continue
                assert again == sent
            assert len(sandbox.sent_sms) == 1
        await ledger.aclose()
    finally:
        server.stop()
