"""RedisReplayGuard against a real redis-server: claims, leases, an outage at release, and
two uvicorn workers sharing it."""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from redis.asyncio import Redis

from easify_async._php_json import php_json_encode
from easify_async.webhooks import (
    EmailEvent,
    RedisReplayGuard,
    ReplayGuard,
    ReplayGuardUnavailableError,
    SmsEvent,
    sign,
)
from tests.limiters.conftest import RedisServer

from .conftest import remembering
from .servers import serve_aiohttp, serve_asgi
from .test_claims import BUSY
from .test_receivers import SECRET as RECEIVER_SECRET
from .test_receivers import SMS, Serve, aiohttp_app, fastapi_app, router_app, signed

pytestmark = [pytest.mark.anyio, pytest.mark.redis]

ROOT = Path(__file__).parents[2]
SECRET = "whsec_workers"
ASYNCIO = pytest.mark.parametrize("anyio_backend", ["asyncio"])  # redis-py is asyncio-only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def gone(redis: Redis, key: str) -> None:
    """Wait (Redis's own clock) until ``key`` has expired."""
    with anyio.fail_after(10):
        while await redis.exists(key):
            await anyio.sleep(0.01)


@ASYNCIO
async def test_a_key_is_claimed_once_across_clients_then_kept_for_the_retention(
    redis_server: RedisServer,
) -> None:
    """Twenty concurrent claims from two guards: one new, 19 processing; confirmed: done."""
    prefix = f"guard-{uuid.uuid4().hex}:"
    key = f"{prefix}sms:1:Delivered"
    # One client answers str: the guard reads both kinds of replies.
    clients = [
        Redis.from_url(redis_server.url),
        Redis.from_url(redis_server.url, decode_responses=True),
    ]
    guards = [RedisReplayGuard(c, retention=3600, lease=120, prefix=prefix) for c in clients]
    assert isinstance(guards[0], ReplayGuard)
    claims: list[str] = []

    async def claim(guard: RedisReplayGuard) -> None:
        claims.append(await guard.claim("sms:1:Delivered"))

    async with anyio.create_task_group() as tg:
        for n in range(20):
            tg.start_soon(claim, guards[n % 2])
    assert sorted(claims) == ["new"] + ["processing"] * 19
    assert 100_000 < await clients[0].pttl(key) <= 120_000  # a lease, not the retention
    await guards[0].confirm("sms:1:Delivered")
    assert [await g.claim("sms:1:Delivered") for g in guards] == ["done", "done"]
    assert 3_500_000 < await clients[0].pttl(key) <= 3_600_000
    # The store was new: it remembers from its marker (the second after the first claim,
    # by Redis's clock), a margin for the clocks' difference on.
    marker = int(await clients[0].get(f"{prefix}since"))
    assert await guards[1].remembers_since() == marker + 60
    # A store in use for long: keys expire by Redis's clock, so what is vouched for
    # starts a margin after the retention.
    await clients[0].set(f"{prefix}since", 0)
    since = await guards[0].remembers_since()
    assert time.time() - 3600 < since < time.time() - 3600 + 120
    for client in clients:
        await client.aclose()


@ASYNCIO
async def test_a_guard_releases_only_its_own_claim(redis_server: RedisServer) -> None:
    """forget() from another worker leaves a claim held; its owner's forget frees it."""
    prefix = f"guard-{uuid.uuid4().hex}:"
    owner, other = (RedisReplayGuard(redis_server.url, prefix=prefix) for _ in range(2))
    assert await owner.claim("k") == "new"
    await other.forget("k")
    assert await other.claim("k") == "processing"
    await owner.forget("k")
    assert await other.claim("k") == "new"
    await other.confirm("k")
    await other.forget("k")  # a forget never undoes a confirm
    assert await owner.claim("k") == "done"
    await owner.aclose()
    await other.aclose()


@ASYNCIO
async def test_a_worker_dying_between_claim_and_confirm_frees_the_key_with_its_lease(
    redis_server: RedisServer,
) -> None:
    """Claimed, never confirmed nor released: processing until the lease expires, then new."""
    prefix = f"guard-{uuid.uuid4().hex}:"
    crashed = RedisReplayGuard(redis_server.url, lease=0.2, prefix=prefix)
    survivor = RedisReplayGuard(redis_server.url, lease=0.2, prefix=prefix)
    assert await crashed.claim("sms:2:Failed") == "new"
    await crashed.aclose()  # the process is gone, with its handling
    assert await survivor.claim("sms:2:Failed") == "processing"
    async with Redis.from_url(redis_server.url) as redis:
        await gone(redis, f"{prefix}sms:2:Failed")
    assert await survivor.claim("sms:2:Failed") == "new"  # Easify's retry is handled
    await survivor.aclose()


@ASYNCIO
async def test_claims_work_on_a_redis_cluster(redis_cluster: RedisServer) -> None:
    """Each script touches one key, so a Redis Cluster runs them: claim, confirm, forget."""
    from redis.asyncio import RedisCluster

    client = RedisCluster.from_url(redis_cluster.url)
    guard = RedisReplayGuard(client, prefix=f"cluster-{uuid.uuid4().hex}:")
    assert [await guard.claim("a"), await guard.claim("a")] == ["new", "processing"]
    await guard.confirm("a")
    assert await guard.claim("b") == "new"
    await guard.forget("b")
    assert [await guard.claim("a"), await guard.claim("b")] == ["done", "new"]
    await client.aclose()


@ASYNCIO
async def test_a_key_written_by_an_earlier_version_reads_as_handled(
    redis_server: RedisServer,
) -> None:
    """Keys set to 1 (before claims had leases) stay replays after an upgrade."""
    prefix = f"guard-{uuid.uuid4().hex}:"
    async with Redis.from_url(redis_server.url) as redis:
        await redis.set(f"{prefix}email:e1", 1, px=60_000)
    guard = RedisReplayGuard(redis_server.url, prefix=prefix)
    assert await guard.claim("email:e1") == "done"
    await guard.aclose()


@ASYNCIO
async def test_an_unreachable_redis_fails_closed_with_503() -> None:
    """Redis down: the guard raises its typed error and both receivers answer 503, unhandled."""
    from aiohttp import web
    from fastapi import FastAPI
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    from easify_async.webhooks.aiohttp import sms_handler
    from easify_async.webhooks.fastapi import webhook_router

    # No retries: redis-py's default backs off for seconds before giving up.
    dead = Redis(port=free_port(), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
    guard = RedisReplayGuard(dead)
    with pytest.raises(ReplayGuardUnavailableError, match="the replay guard is unavailable"):
        await guard.claim("k")
    handled: list[object] = []

    async def on_sms(event: object) -> None:
        handled.append(event)

    fastapi = FastAPI()
    fastapi.include_router(webhook_router(secret=SECRET, on_sms=on_sms, replay_guard=guard))
    aiohttp = web.Application()
    aiohttp.router.add_post("/easify/sms", sms_handler(on_sms, secret=SECRET, replay_guard=guard))
    payload = {"sms_id": "1", "status": "Delivered"}
    headers = {"X-Easify-Signature": sign(payload, secret=SECRET)}
    answers = []
    async with (
        serve_asgi(fastapi) as one,
        serve_aiohttp(aiohttp) as other,
        httpx.AsyncClient() as client,
    ):
        for origin in (one, other):
            headers["X-Easify-Timestamp"] = str(int(time.time()))
            answers.append(
                await client.post(
                    f"{origin}/easify/sms", content=php_json_encode(payload), headers=headers
                )
            )
    assert [a.status_code for a in answers] == [503, 503]
    assert all("the replay guard is unavailable" in a.json()["detail"] for a in answers)
    assert handled == []


async def aclose_on(loop: asyncio.AbstractEventLoop, client: Redis) -> None:
    """Close ``client`` on ``loop``, where its connections were made (uvicorn serves on its
    own loop, in a thread)."""
    if loop is asyncio.get_running_loop():
        await client.aclose()
    else:
        future = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
        await anyio.to_thread.run_sync(future.result, 5)


@ASYNCIO
@pytest.mark.parametrize("serve", [fastapi_app, aiohttp_app], ids=["fastapi", "aiohttp"])
async def test_a_failed_handling_whose_release_is_lost_is_handled_once_the_lease_ends(
    serve: Serve, restartable_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down when the failed handler's claim is released: the key stays claimed, the
    retry answers 503 while the lease holds, and once it ends the retry is handled."""
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    prefix = f"lost-{uuid.uuid4().hex}:"
    key = f"{prefix}sms:{SMS['sms_id']}:{SMS['status']}"
    # No retries: redis-py's default backs off for seconds before giving up.
    client = Redis.from_url(
        restartable_redis.url, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    guard = RedisReplayGuard(client, lease=600, prefix=prefix)
    calls: list[str] = []
    loops: list[asyncio.AbstractEventLoop] = []

    async def on_sms(event: SmsEvent) -> None:
        calls.append(event.sms_id)
        loops.append(asyncio.get_running_loop())  # the guard's connections live on this one
        if len(calls) == 1:
            restartable_redis.stop()  # Redis goes away while the handler runs,
            raise RuntimeError("database down")  # and the handler fails

    async def on_email(events: list[EmailEvent]) -> None:
        raise AssertionError("no email here")

    fresh = httpx.Limits(max_keepalive_connections=0)  # uvicorn closes after a 500
    async with (
        serve(on_sms, on_email, secret=RECEIVER_SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin, limits=fresh) as http,
        Redis.from_url(restartable_redis.url) as admin,
    ):
        with caplog.at_level(logging.ERROR, logger="easify_async.webhooks"):
            failed = await http.post("/sms", **signed(SMS))
        restartable_redis.start()  # back, with the claim nobody could release
        refused = await http.post("/sms", **signed(SMS))
        assert 0 < await admin.pttl(key) <= 600_000  # held by the lease, not the retention
        await admin.pexpire(key, 1)  # Redis's clock runs past the lease
        await gone(admin, key)
        retried = await http.post("/sms", **signed(SMS))
        replayed = await http.post("/sms", **signed(SMS))
        await aclose_on(loops[0], client)
    assert "could not forget" in caplog.text
    assert [failed.status_code, refused.status_code] == [500, 503]
    assert refused.json()["detail"] == BUSY
    assert (retried.status_code, replayed.json()["detail"]) == (200, "duplicate delivery ignored")
    assert calls == [SMS["sms_id"]] * 2  # the event was handled, not lost


@contextmanager
def uvicorn_workers(env: dict[str, str], count: int) -> Iterator[list[str]]:
    """``count`` uvicorn processes serving tests/webhooks/redis_app.py, each on its port."""
    ports = [free_port() for _ in range(count)]
    command = [sys.executable, "-m", "uvicorn", "tests.webhooks.redis_app:app",
               "--host", "127.0.0.1", "--log-level", "warning", "--port"]  # fmt: skip
    processes = [subprocess.Popen([*command, str(port)], cwd=ROOT, env=env) for port in ports]
    try:
        deadline = time.monotonic() + 30
        for port, process in zip(ports, processes, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"uvicorn exited with {process.returncode}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("uvicorn did not start") from None
                    time.sleep(0.05)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


@pytest.fixture(scope="module")
def workers(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[str], Path]]:
    """Two uvicorn worker processes sharing one RedisReplayGuard; and their handled-events file."""
    handled = tmp_path_factory.mktemp("workers") / "handled.txt"
    handled.touch()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "EASIFY_TEST_REDIS": redis_server.url,
        "EASIFY_TEST_SECRET": SECRET,
        "EASIFY_TEST_HANDLED": str(handled),
        "EASIFY_TEST_PREFIX": f"workers-{uuid.uuid4().hex}:",
    }
    with uvicorn_workers(env, 2) as origins:
        yield origins, handled


async def test_two_uvicorn_workers_handle_each_redelivery_exactly_once(
    workers: tuple[list[str], Path],
) -> None:
    """The same delivery POSTed to both workers at once, 20 times: each handled once.

    The loser of each race answers 200 (a replay) or, while the winner is handling it,
    503 until the winner confirmed.
    """
    origins, handled = workers
    run = uuid.uuid4().hex[:8]
    details: dict[str, list[str]] = collections.defaultdict(list)

    async def deliver(client: httpx.AsyncClient, origin: str, sms_id: str) -> None:
        # As Easify does: a 503 (the other worker is still handling it) is delivered again.
        payload = {"sms_id": sms_id, "status": "Delivered"}
        while True:
            answer = await client.post(
                f"{origin}/easify/sms",
                content=php_json_encode(payload),
                headers={
                    "X-Easify-Signature": sign(payload, secret=SECRET),
                    "X-Easify-Timestamp": str(int(time.time())),
                },
            )
            if answer.status_code != 503:
                break
            assert answer.json()["detail"] == BUSY
            await anyio.sleep(0.01)
        assert answer.status_code == 200, answer.text
        details[sms_id].append(answer.json()["detail"])

    ids = [f"{run}-{n}" for n in range(20)]
    with anyio.fail_after(30):
        async with httpx.AsyncClient() as client:
            async with anyio.create_task_group() as tg:
                for sms_id in ids:
                    for origin in origins:
                        tg.start_soon(deliver, client, origin, sms_id)
            await deliver(client, origins[0], ids[0])  # and once more, later
    lines = [line.split() for line in handled.read_text().splitlines()]
    per_id = collections.Counter(sms_id for sms_id, _ in lines if sms_id.startswith(run))
    assert per_id == dict.fromkeys(ids, 1)
    for sms_id in ids:
        expected = ["duplicate delivery ignored", "ok"] + ["duplicate delivery ignored"] * (
            sms_id == ids[0]
        )
        assert sorted(details[sms_id]) == sorted(expected)


@ASYNCIO
@pytest.mark.parametrize(
    "serve", [fastapi_app, router_app, aiohttp_app], ids=["fastapi", "router", "aiohttp"]
)
async def test_a_confirm_redis_does_not_answer_is_cut_off_and_logged(
    serve: Serve, spare_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis stops answering while the handler runs: the confirm is given up at the
    guard's round-trip deadline, not when Redis answers, and logged; the delivery is 200."""
    from redis import Redis as BlockingRedis

    prefix = f"hung-{uuid.uuid4().hex}:"
    remembering(spare_redis.url, prefix)
    client = Redis.from_url(spare_redis.url)
    guard = RedisReplayGuard(client, prefix=prefix)
    guard._batcher._deadline = 0.2
    loops: list[asyncio.AbstractEventLoop] = []

    async def on_sms(event: SmsEvent) -> None:
        loops.append(asyncio.get_running_loop())
        with BlockingRedis.from_url(spare_redis.url) as admin:
            admin.client_pause(3000, all=False)  # the confirm's script waits

    async def on_email(events: list[EmailEvent]) -> None:
        raise AssertionError("no email here")

    lost = f"could not confirm sms:{SMS['sms_id']}:{SMS['status']}"
    async with (
        serve(on_sms, on_email, secret=RECEIVER_SECRET, replay_guard=guard) as origin,
        httpx.AsyncClient(base_url=origin) as http,
    ):
        with caplog.at_level(logging.ERROR, "easify_async.webhooks"):
            with anyio.fail_after(2):  # not the 3 s of the pause
                answer = await http.post("/sms", **signed(SMS))
                while lost not in caplog.text:  # FastAPI may answer before a dependency's end
                    await anyio.sleep(0.01)
        with BlockingRedis.from_url(spare_redis.url) as admin:
            admin.client_unpause()
        await aclose_on(loops[0], client)
    assert answer.status_code == 200
    assert "no answer within 0.2 s" in caplog.text
