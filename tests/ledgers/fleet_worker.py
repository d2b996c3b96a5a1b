"""A worker of the fleet test: takes SMS jobs from a Redis list and sends each with its
job's idempotency key, on a shared Redis ledger and Redis limiter.

Usage: python -m tests.ledgers.fleet_worker BASE_URL REDIS_URL PREFIX WORKER PERIOD

The queue is the reliable-list pattern: a job is moved (LMOVE, atomically) from
``PREFIX:queue`` to the worker's own ``PREFIX:taken:WORKER`` and removed from there once
its outcome is reported on ``PREFIX:reports``; a job left there by a killed worker is
what the supervisor redelivers. Exits when the queue is empty.
"""

from __future__ import annotations

import json
import sys

import anyio
from redis.asyncio import Redis

from easify_async import AsyncEasify
from easify_async.errors import KeyInProgressError, UnknownOutcomeError
from easify_async.sandbox import DEMO_TOKEN
from tests.ledgers._fleet import job_sms, worker_options


async def main(base_url: str, redis_url: str, prefix: str, worker: str, period: float) -> None:
    queue, taken, reports = f"{prefix}:queue", f"{prefix}:taken:{worker}", f"{prefix}:reports"
    options = worker_options(redis_url, prefix, period)
    async with (
        Redis.from_url(redis_url, decode_responses=True) as redis,
        AsyncEasify(DEMO_TOKEN, base_url=base_url, **options) as easify,
    ):
        while (job := await redis.lmove(queue, taken, "LEFT", "RIGHT")) is not None:
            report = {"job": job, "worker": worker}
            try:
                sent = await easify.sms.send(**job_sms(job))
                report["sms_id"] = sent.sms_id
            except UnknownOutcomeError:
                report["ambiguous"] = True
            except KeyInProgressError:
                await redis.rpush(queue, job)  # its claimer is alive: later
                await redis.lrem(taken, 1, job)
                continue
            # Reported and given back in one transaction: a kill leaves both or neither.
            async with redis.pipeline(transaction=True) as pipe:
                pipe.rpush(reports, json.dumps(report))
                pipe.lrem(taken, 1, job)
                await pipe.execute()
    await options["ledger"].aclose()
    await options["limiter"].aclose()


if __name__ == "__main__":
    base_url, redis_url, prefix, worker, period = sys.argv[1:]
    anyio.run(main, base_url, redis_url, prefix, worker, float(period))
