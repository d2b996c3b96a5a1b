"""One of several processes sharing a token: sends its share and prints one JSON line.

Usage: python -m tests.limiters.multi_runner BASE_URL REDIS_URL|local PREFIX FIRST COUNT PERIOD
"""

from __future__ import annotations

import json
import sys

import anyio

from easify_async import AsyncEasify, RateLimitError, RateLimits
from easify_async.limiters import Limiter, LocalLimiter, RedisLimiter
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN


async def main(
    base_url: str, redis_url: str, prefix: str, first: int, count: int, period: float
) -> None:
    limiter: Limiter = (
        LocalLimiter() if redis_url == "local" else RedisLimiter(redis_url, prefix=prefix)
    )
    limits = RateLimits().scaled(period / 60.0)
    sent = refused = 0
    async with AsyncEasify(DEMO_TOKEN, base_url=base_url, limiter=limiter, rate_limits=limits,
                           max_retries=10) as easify:  # fmt: skip

        async def one(n: int) -> None:
            nonlocal sent, refused
            try:
                await easify.sms.send(
                    DEMO_FROM_NUMBER, f"+1315135{n:04d}", message=f"m{n}", force_send=True
                )
                sent += 1
            except RateLimitError:
                refused += 1

        async with anyio.create_task_group() as tg:
            for n in range(first, first + count):
                tg.start_soon(one, n)
    await limiter.aclose()
    print(json.dumps({"sent": sent, "refused": refused}), flush=True)


if __name__ == "__main__":
    base, redis_url, prefix, first, count, period = sys.argv[1:7]
    anyio.run(main, base, redis_url, prefix, int(first), int(count), float(period))
