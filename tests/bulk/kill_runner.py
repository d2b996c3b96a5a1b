"""A bulk run in its own process, for the kill tests: prints one JSON line per result.

Usage: python -m tests.bulk.kill_runner BASE_URL TOKEN FROM JOURNAL COUNT PERIOD [CONCURRENCY]

PERIOD scales the client's rate limits to a minute of that many seconds; ``none`` turns
client-side limiting off, so the server's 429s pace the run.
"""

from __future__ import annotations

import json
import sys

import anyio

from easify_async import AsyncEasify, RateLimits
from easify_async.bulk import SmsMessage


async def main(
    base_url: str,
    token: str,
    from_number: str,
    journal: str,
    count: int,
    period: float | None,
    concurrency: int | None,
) -> None:
    items = (
        SmsMessage(
            from_number=from_number,
            to_number=f"+1315135{n:04d}",
            message=f"item {n}",
            key=f"k{n}",
            force_send=True,
        )
        for n in range(count)
    )
    limits = None if period is None else RateLimits().scaled(period / 60.0)
    async with AsyncEasify(token, base_url=base_url, rate_limits=limits) as easify:
        results = easify.sms.send_many(items, journal=journal, concurrency=concurrency)
        async for result in results:
            print(json.dumps({"key": result.key, "outcome": result.outcome.value}), flush=True)


if __name__ == "__main__":
    base_url, token, from_number, journal, count, period = sys.argv[1:7]
    concurrency = int(sys.argv[7]) if len(sys.argv) > 7 else None
    limit_period = None if period == "none" else float(period)
    anyio.run(main, base_url, token, from_number, journal, int(count), limit_period, concurrency)
