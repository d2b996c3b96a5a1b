"""The blocking client's cost, as ratios measured in one run.

1. CPU per blocking ``easify.sms.send`` (`Easify`) against the async one (`AsyncEasify`),
   both on the same in-process mock transport, the limiter effectively unbounded (target
   <= 1.5x). CPU is the process's (``time.process_time``): the loop thread's work counts.
2. ``import easify_async`` in fresh interpreters, and the same plus the first use of
   ``easify_async.Easify`` (the blocking client loads lazily: the first costs no more).

Run: ``python benchmarks/bench_sync.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import time

import anyio
import httpx

# Run as a script, benchmarks/ is on sys.path: one import-time harness for both.
from bench_client import import_time

from easify_async import AsyncEasify, Easify, RateLimit, RateLimits

BODY = b'{"status": true, "message": "SMS Processed successfully.", "data": {"sms_id": "31529"}}'
UNBOUNDED = RateLimit(10**9, 1e-6)
LIMITS = RateLimits(sms_send=UNBOUNDED, email_send=UNBOUNDED, sms_status=UNBOUNDED, margin=0)
URL = "http://127.0.0.1:9/api/v2"


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


async def asynchronous(calls: int) -> float:
    transport = httpx.MockTransport(handler)
    async with AsyncEasify("t", base_url=URL, rate_limits=LIMITS, transport=transport) as easify:
        start = time.process_time()
        for _ in range(calls):
            await easify.sms.send("3152930000", "+13151350000", message="Hi")
        return (time.process_time() - start) / calls


def blocking(calls: int) -> float:
    transport = httpx.MockTransport(handler)
    with Easify("t", base_url=URL, rate_limits=LIMITS, transport=transport) as easify:
        start = time.process_time()
        for _ in range(calls):
            easify.sms.send("3152930000", "+13151350000", message="Hi")
        return (time.process_time() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=15)
    args = parser.parse_args()

    anyio.run(asynchronous, 200)  # warm both paths up before measuring
    blocking(200)
    # Alternate rounds and keep each side's best, so machine noise hits both alike.
    ours_async, ours_blocking = float("inf"), float("inf")
    for _ in range(args.rounds):
        ours_async = min(ours_async, anyio.run(asynchronous, args.calls))
        ours_blocking = min(ours_blocking, blocking(args.calls))
    package = import_time("import easify_async", args.import_runs)
    with_blocking = import_time("import easify_async; easify_async.Easify", args.import_runs)
    httpx_import = import_time("import httpx", args.import_runs)
    print(
        f"per-call CPU: AsyncEasify sms.send {ours_async * 1e6:.0f} us, "
        f"Easify sms.send {ours_blocking * 1e6:.0f} us, "
        f"ratio {ours_blocking / ours_async:.2f}x (target <= 1.5x)"
    )
    print(
        f"import time: httpx {httpx_import * 1e3:.1f} ms, easify_async {package * 1e3:.1f} ms "
        f"({package / httpx_import:.2f}x httpx), with Easify loaded {with_blocking * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
