"""RedisReplayGuard against a real redis-server, and two uvicorn workers sharing it."""

from __future__ import annotations

import collections
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

from easify_async._php_json import php_json_encode
from easify_async.webhooks import RedisReplayGuard, ReplayGuard, ReplayGuardUnavailableError, sign
from tests.limiters.conftest import RedisServer

from .servers import serve_aiohttp, serve_asgi

pytestmark = [pytest.mark.anyio, pytest.mark.redis]

ROOT = Path(__file__).parents[2]
SECRET = "whsec_workers"
ASYNCIO = pytest.mark.parametrize("anyio_backend", ["asyncio"])  # redis-py is asyncio-only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@ASYNCIO
async def test_a_key_is_claimed_once_across_clients_and_kept_for_the_retention(
    redis_server: RedisServer,
) -> None:
    """Twenty concurrent claims from two guards: one wins; the key expires after the retention."""
    from redis.asyncio import Redis

    prefix = f"guard-{uuid.uuid4().hex}:"
    guards = [RedisReplayGuard(redis_server.url, retention=3600, prefix=prefix) for _ in range(2)]
    assert isinstance(guards[0], ReplayGuard)
    won: list[bool] = []

    async def claim(guard: RedisReplayGuard) -> None:
        won.append(await guard.first_time("sms:1:Delivered"))

    async with anyio.create_task_group() as tg:
        for n in range(20):
            tg.start_soon(claim, guards[n % 2])
    assert sorted(won) == [False] * 19 + [True]
    async with Redis.from_url(redis_server.url) as redis:
        ttl = await redis.pttl(f"{prefix}sms:1:Delivered")
    assert 3_500_000 < ttl <= 3_600_000
    await guards[1].forget("sms:1:Delivered")
    assert await guards[0].first_time("sms:1:Delivered")  # a failed handling lets a retry in
    # Keys expire by Redis's clock: what is vouched for starts a margin after the retention.
    since = await guards[0].remembers_since()
    assert time.time() - 3600 < since < time.time() - 3600 + 120
    for guard in guards:
        await guard.aclose()


@ASYNCIO
async def test_an_unreachable_redis_fails_closed_with_503() -> None:
    """Redis down: the guard raises its typed error and both receivers answer 503, unhandled."""
    from aiohttp import web
    from fastapi import FastAPI
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    from easify_async.webhooks.aiohttp import sms_handler
    from easify_async.webhooks.fastapi import webhook_router

    # No retries: redis-py's default backs off for seconds before giving up.
    dead = Redis(port=free_port(), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
    guard = RedisReplayGuard(dead)
    with pytest.raises(ReplayGuardUnavailableError, match="the replay guard is unavailable"):
        await guard.first_time("k")
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
    """The same delivery POSTed to both workers at once, 20 times: each handled once."""
    origins, handled = workers
    run = uuid.uuid4().hex[:8]
    details: dict[str, list[str]] = collections.defaultdict(list)

    async def deliver(client: httpx.AsyncClient, origin: str, sms_id: str) -> None:
        payload = {"sms_id": sms_id, "status": "Delivered"}
        answer = await client.post(
            f"{origin}/easify/sms",
            content=php_json_encode(payload),
            headers={
                "X-Easify-Signature": sign(payload, secret=SECRET),
                "X-Easify-Timestamp": str(int(time.time())),
            },
        )
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
