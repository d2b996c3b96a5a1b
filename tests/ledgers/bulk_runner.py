"""A bulk SMS run on a Redis ledger, in its own process ("another machine"): prints one
JSON line per result.

Usage: python -m tests.ledgers.bulk_runner BASE_URL REDIS_URL PREFIX COUNT PERIOD
"""

from __future__ import annotations

import json
import sys

import anyio

from easify_async import AsyncEasify, RateLimits
from easify_async.bulk import SmsMessage
from easify_async.ledgers import RedisLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN


def rows(count: int) -> list[SmsMessage]:
    return [
        SmsMessage(
            DEMO_FROM_NUMBER,
            f"+1315135{n:04d}",
            message=f"item {n}",
            force_send=True,
            key=f"k{n}",
        )
        for n in range(count)
    ]


async def main(base_url: str, redis_url: str, prefix: str, count: int, period: float) -> None:
    ledger = RedisLedger(redis_url, prefix=prefix, lease=0.5)
    limits = RateLimits().scaled(period / 60)
    async with AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as easify:
        async for result in easify.sms.send_many(rows(count), journal=ledger):
            line = {"key": result.key, "outcome": result.outcome.value, "sms_id": result.sms_id}
            print(json.dumps(line), flush=True)
    await ledger.aclose()


if __name__ == "__main__":
    base_url, redis_url, prefix, count, period = sys.argv[1:]
    anyio.run(main, base_url, redis_url, prefix, int(count), float(period))
