"""Bulk sending, as figures measured in one run.

1. ``send_many`` over N generated items (1,000,000 by default) against an in-process
   transport with the limiter unbounded: items/s and peak RSS growth (target <= 50 MB).
2. ``send_many`` against the sandbox at a scaled period: achieved rate / limit (target
   >= 0.98) and 429s seen (target 0).

Run: ``python benchmarks/bench_bulk.py [--items N] [--windows W]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Iterator

import anyio
import httpx

from easify_async import AsyncEasify, RateLimit, RateLimits
from easify_async.bulk import SmsMessage

BODY = json.dumps({"status": True, "message": "ok", "data": {"sms_id": "1"}}).encode()


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated(count: int) -> Iterator[SmsMessage]:
    for n in range(count):
        yield SmsMessage(
            from_number="3152930000",
            to_number=f"+1315{n % 10_000_000:07d}",
            message="Hi",
            key=str(n),
        )


async def stream(count: int) -> tuple[float, float]:
    unbounded = RateLimit(10**9, 1e-6)
    limits = RateLimits(sms_send=unbounded, email_send=unbounded, sms_status=unbounded, margin=0)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BODY))
    async with AsyncEasify("t", transport=transport, rate_limits=limits) as easify:
        await _drain(easify, generated(1000))  # warm up before the baseline RSS
        before = rss_mb()
        start = time.perf_counter()
        sent = await _drain(easify, generated(count))
        elapsed = time.perf_counter() - start
    assert sent == count
    return count / elapsed, rss_mb() - before


async def _drain(easify: AsyncEasify, items: Iterator[SmsMessage]) -> int:
    ok = 0
    async for result in easify.sms.send_many(items, concurrency=64):
        ok += result.ok
    return ok


async def at_the_limit(windows: int, period: float) -> tuple[float, int]:
    """Achieved rate / limit and 429 count against the sandbox at a scaled period."""
    from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox

    sandbox = Sandbox(period=period)
    count = 15 * windows
    scaled = RateLimits().scaled(period / 60.0)
    async with (
        sandbox,
        AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=scaled) as easify,
    ):
        items = [
            SmsMessage(
                from_number=DEMO_FROM_NUMBER,
                to_number=f"+1315135{n:04d}",
                message="Hi",
                key=str(n),
                force_send=True,
            )
            for n in range(count)
        ]
        start = time.perf_counter()
        async for result in easify.sms.send_many(items):
            assert result.ok, result.error
        elapsed = time.perf_counter() - start
    # The ideal: `windows` windows, the last one opening (windows - 1) periods after the first.
    ideal = (windows - 1) * period
    return ideal / elapsed, sandbox.rejected_requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--windows", type=int, default=10)
    parser.add_argument("--period", type=float, default=2.0)
    args = parser.parse_args()
    rate, growth = anyio.run(stream, args.items)
    print(
        f"send_many, {args.items:,} items, limiter unbounded: {rate:,.0f} items/s, "
        f"peak RSS growth {growth:.1f} MB (target <= 50 MB)"
    )
    achieved, rejected = anyio.run(at_the_limit, args.windows, args.period)
    print(
        f"send_many against the sandbox, 15 per {args.period:g} s, {args.windows} windows: "
        f"achieved rate / limit {achieved:.3f} (target >= 0.98), 429s {rejected} (target 0)"
    )


if __name__ == "__main__":
    main()
