"""A fleet: worker processes on one token, a shared Redis ledger and limiter, jobs from a
Redis queue that redelivers a killed worker's job, SIGKILLs following progress: no SMS
sent twice, every job sent once or reported ambiguous by key, no 429."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import uuid
from pathlib import Path

import anyio
import pytest
from anyio.abc import Process
from redis.asyncio import Redis

from easify_async.sandbox import Sandbox
from tests._served import served
from tests.ledgers._fleet import JOBS, KILLS, PERIOD, WORKERS, sends, settle_and_run_again
from tests.limiters.conftest import RedisServer

pytestmark = [pytest.mark.anyio, pytest.mark.redis, pytest.mark.slow]

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_killed_workers_redelivered_jobs_send_nothing_twice(
    durable_redis: RedisServer, tmp_path: Path
) -> None:
    """300 jobs, 3 workers, 30 SIGKILLs (each after a few more sends, at a random worker);
    each killed worker's job goes back on the queue and a new worker starts. Every job is
    sent once or reported ambiguous with its key (then sent at most once), nothing is sent
    twice, the server refused nothing; settling the ambiguous keys from what the server
    recorded and running their jobs again sends each missing one once."""
    rng = random.Random(25)
    prefix = f"fleet:{uuid.uuid4().hex}"
    sandbox = Sandbox(period=PERIOD)
    async with Redis.from_url(durable_redis.url, decode_responses=True) as redis:
        await redis.rpush(f"{prefix}:queue", *[str(n) for n in range(JOBS)])
        async with served(sandbox) as base_url:
            running: dict[str, Process] = {}
            names = (f"w{n}" for n in range(1000))

            async def start() -> None:
                name = next(names)
                command = [sys.executable, "-m", "tests.ledgers.fleet_worker", base_url]
                command += [durable_redis.url, prefix, name, str(PERIOD)]
                with (tmp_path / f"{name}.err").open("wb") as errors:
                    running[name] = await anyio.open_process(
                        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors
                    )

            for _ in range(WORKERS):
                await start()
            with anyio.fail_after(600):
                for kill in range(KILLS):
                    # Kills follow progress (sends), not time.
                    target = (kill + 1) * (JOBS - 30) // KILLS
                    while len(sandbox.sent_sms) < target and any(
                        p.returncode is None for p in running.values()
                    ):
                        await anyio.sleep(0.005)
                    await anyio.sleep(rng.uniform(0, 0.05))
                    alive = [n for n, p in running.items() if p.returncode is None]
                    if not alive:
                        break
                    victim = rng.choice(alive)
                    running[victim].kill()  # SIGKILL
                    await running[victim].wait()
                    # The queue redelivers what the dead worker had taken.
                    while await redis.lmove(f"{prefix}:taken:{victim}", f"{prefix}:queue"):
                        pass
                    await start()
                for process in running.values():
                    await process.wait()
            for name, process in running.items():
                failure = (tmp_path / f"{name}.err").read_text()[-2000:]
                assert process.returncode in (0, -9), f"{name} failed: {failure}"
            assert await redis.llen(f"{prefix}:queue") == 0
            reports = [json.loads(r) for r in await redis.lrange(f"{prefix}:reports", 0, -1)]
            last = {r["job"]: r for r in reports}
            assert sorted(last, key=int) == [str(n) for n in range(JOBS)]
            sent = sends(sandbox)
            assert max(sent.values()) == 1, "an SMS was sent twice"
            assert sandbox.rejected_requests == 0
            ambiguous = sorted(int(j) for j, r in last.items() if r.get("ambiguous"))
            for job, report in last.items():
                if not report.get("ambiguous"):
                    assert sent[f"job {job}"] == 1
            await settle_and_run_again(sandbox, base_url, durable_redis.url, prefix, ambiguous)
    print(f"{len(ambiguous)} ambiguous of {JOBS} after {KILLS} kills")
