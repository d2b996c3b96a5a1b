"""Walking 10,000 ``sms.report`` records at the 60/min limit, on a virtual clock.

The sandbox holds 10,000 SMS in one 30-day range; the client walks them in process, on
trio's virtual clock (the sandbox's clock too), so the minute-long waits cost no real
time. It reports the calls made and the virtual time taken for the client's default
page size (100) and for the API's (10).

Run: ``python benchmarks/bench_pagination.py``; ``nox -s bench`` runs them all.
"""

from __future__ import annotations

import datetime as dt
import time

import anyio
import httpx
import trio
import trio.testing

from easify_async import AsyncEasify
from easify_async.sandbox import DEMO_TOKEN, Sandbox
from easify_async.sandbox._api_state import HistoryRecord

RECORDS = 10_000
START = dt.datetime(2026, 11, 1)


class Counting(httpx.AsyncBaseTransport):
    """Counts the requests that reach the server."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return await self.inner.handle_async_request(request)


async def walk(limit: int | None) -> tuple[int, int, float, int]:
    """(records seen, calls made, virtual seconds, 429s) for one walk."""
    sandbox = Sandbox(clock=anyio.current_time)
    sandbox.api.add_history(
        DEMO_TOKEN,
        *(
            HistoryRecord(
                id=i,
                sender="+13152930000",
                receiver="+13151350000",
                message="Hi",
                status="Delivered",
                created_at=START + dt.timedelta(seconds=i * 250),  # 10,000 over ~29 days
            )
            for i in range(RECORDS)
        ),
    )
    transport = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=transport) as easify:
        started = anyio.current_time()
        seen = 0
        async for _ in easify.sms.report(from_date="2026-11-01", to_date="2026-11-30", limit=limit):
            seen += 1
        elapsed = anyio.current_time() - started
    return seen, transport.calls, elapsed, sandbox.rejected_requests


def main() -> None:
    print("| page size | records | calls | virtual time at 60/min | 429s | real time |")
    print("|---|---|---|---|---|---|")
    for limit, label in ((None, "100 (default)"), (10, "10 (the API's)")):
        real = time.perf_counter()
        seen, calls, elapsed, rejected = trio.run(
            walk, limit, clock=trio.testing.MockClock(autojump_threshold=0)
        )
        real = time.perf_counter() - real
        print(f"| {label} | {seen} | {calls} | {elapsed:.0f} s | {rejected} | {real:.1f} s |")


if __name__ == "__main__":
    main()
