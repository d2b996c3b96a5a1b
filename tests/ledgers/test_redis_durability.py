"""RedisLedger refuses a server that may lose writes, and a claim outlives a SIGKILL of a
server that persists every write."""

from __future__ import annotations

import signal
import subprocess
import uuid
from pathlib import Path

import anyio
import pytest
from redis.asyncio import Redis

from easify_async.errors import LedgerDurabilityError, LedgerUnavailableError
from easify_async.ledgers import RedisLedger
from tests.limiters.conftest import RedisServer, _free_port, _redis_binary

from .conftest import DURABLE

pytestmark = [pytest.mark.anyio, pytest.mark.redis]
ASYNCIO = pytest.mark.parametrize("anyio_backend", ["asyncio"])  # redis-py is asyncio-only


def killed_and_restarted(server: RedisServer) -> None:
    """SIGKILL the server (no shutdown, no final save) and start it again on its port."""
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    server.process = None
    server.start()


@ASYNCIO
@pytest.mark.parametrize(
    "options",
    [
        pytest.param((), id="no-aof"),
        pytest.param(("--appendonly", "yes", "--appendfsync", "everysec"), id="everysec"),
    ],
)
async def test_a_server_that_may_lose_writes_is_refused(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    """Without an append-only file written on every change, the first operation raises
    LedgerDurabilityError and writes nothing; durability="unchecked" accepts it."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path, options=options)
    server.start()
    try:
        ledger = RedisLedger(server.url, prefix="p:")
        with pytest.raises(LedgerDurabilityError, match="appendfsync") as caught:
            await ledger.claim("k", "fp", claimer="a")
        assert "--appendfsync always" in str(caught.value)
        with pytest.raises(LedgerDurabilityError):
            await ledger.entry("k")
        async with Redis.from_url(server.url) as redis:
            assert await redis.keys("*") == []
        await ledger.aclose()
        unchecked = RedisLedger(server.url, prefix="p:", durability="unchecked")
        assert await unchecked.claim("k", "fp", claimer="a") is None
        await unchecked.aclose()
    finally:
        server.stop()


@ASYNCIO
async def test_a_server_refusing_config_is_refused_and_an_unreachable_one_unavailable(
    tmp_path: Path,
) -> None:
    """CONFIG renamed away (a managed Redis): refused, the reason said; no server at all:
    LedgerUnavailableError."""
    config = tmp_path / "redis.conf"
    config.write_text('rename-command CONFIG ""\n')
    port = _free_port()
    # A config file must come first on redis-server's command line.
    command = [_redis_binary(), str(config), "--port", str(port), "--bind", "127.0.0.1"]
    # Its log to /dev/null: pipes nobody reads got data after their end on 3.10's asyncio
    # (anyio 4.4: "feed_data after feed_eof", raised from the loop's callbacks).
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    async with await anyio.open_process([*command, "--save", ""], **quiet) as process:
        ledger = RedisLedger(f"redis://127.0.0.1:{port}/0")
        reason = ""
        with anyio.fail_after(10):
            while not reason:
                try:
                    await ledger.check_durability()
                except LedgerUnavailableError:
                    await anyio.sleep(0.02)  # not listening yet
                except LedgerDurabilityError as exc:
                    reason = exc.reason
                else:
                    raise AssertionError("a server without CONFIG was accepted")
        assert reason.startswith("CONFIG GET refused")
        await ledger.aclose()
        process.terminate()
    gone = RedisLedger(f"redis://127.0.0.1:{_free_port()}/0")
    with pytest.raises(LedgerUnavailableError, match="nothing was sent"):
        await gone.claim("k", "fp", claimer="a")
    await gone.aclose()


@ASYNCIO
async def test_a_claim_outlives_a_sigkill_of_a_durable_server(tmp_path: Path) -> None:
    """With --appendonly yes --appendfsync always, a claim made just before the server is
    SIGKILLed is there after its restart: the key is not claimed a second time."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path, options=DURABLE)
    server.start()
    try:
        ledger = RedisLedger(server.url, lease=60)
        assert await ledger.claim("k", "fp", claimer="a") is None
        killed_and_restarted(server)
        await ledger.aclose()
        again = RedisLedger(server.url, lease=60)
        held = await again.claim("k", "fp", claimer="b")
        assert held is not None
        assert held.claimer == "a"
        assert held.state == "in_progress"
        assert await again.record("k", claimer="a", result={"sms_id": "1"})
        await again.aclose()
    finally:
        server.stop()


@ASYNCIO
async def test_without_persistence_a_sigkill_loses_the_claim(volatile_redis: RedisServer) -> None:
    """Why the check exists: on a server without an append-only file (accepted unchecked),
    a claim is gone after a SIGKILL, and a second claimer would send again."""
    ledger = RedisLedger(volatile_redis.url, durability="unchecked", lease=60)
    assert await ledger.claim("k", "fp", claimer="a") is None
    killed_and_restarted(volatile_redis)
    await ledger.aclose()
    again = RedisLedger(volatile_redis.url, durability="unchecked", lease=60)
    assert await again.claim("k", "fp", claimer="b") is None
    await again.aclose()


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_the_redis_ledger_says_it_needs_asyncio(durable_redis: RedisServer) -> None:
    """Under trio, redis-py's asyncio client cannot run: a RuntimeError that says so."""
    ledger = RedisLedger(durable_redis.url)
    with pytest.raises(RuntimeError, match="RedisLedger needs asyncio"):
        await ledger.claim("k", "fp", claimer="a")


@ASYNCIO
async def test_on_a_redis_cluster_each_node_is_checked_and_keys_work(
    redis_cluster: RedisServer,
) -> None:
    """A RedisCluster client: a node without an append-only file is refused; accepted
    unchecked, a key is claimed, read and recorded (its two Redis keys share a slot)."""
    from redis.asyncio import RedisCluster

    async with RedisCluster.from_url(redis_cluster.url) as cluster:
        with pytest.raises(LedgerDurabilityError, match="appendonly no"):
            await RedisLedger(cluster).claim("k", "fp", claimer="a")
        ledger = RedisLedger(cluster, prefix=f"c:{uuid.uuid4().hex}:", durability="unchecked")
        assert await ledger.claim("{k}:1", "fp", claimer="a") is None
        entry = await ledger.entry("{k}:1")
        assert entry is not None
        assert entry.claimer_alive
        assert await ledger.record("{k}:1", claimer="a", result={"sms_id": "1"})
        done = await ledger.entry("{k}:1")
        assert done is not None
        assert done.result == {"sms_id": "1"}
