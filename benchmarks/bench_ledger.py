"""What an idempotency key costs per send, as ratios measured in one run.

``easify.sms.send`` on an in-process mock transport (the limiter effectively unbounded),
each send with a new key: without a key; with a `SqliteLedger` (a file in a temporary
folder: WAL, synchronous=FULL, so one fsync per claim and per record); with a
`RedisLedger` on a redis-server this script starts (``--appendonly yes --appendfsync
always``: each write reaches the disk before Redis answers). Wall time per send (the
ledger's cost is mostly waiting for the disk) and the ratio to a send without a key.

Run: ``python benchmarks/bench_ledger.py [--sends N] [--rounds R]`` (needs redis-server).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import anyio
import httpx

from easify_async import AsyncEasify, RateLimit, RateLimits
from easify_async.ledgers import Ledger, RedisLedger, SqliteLedger

BODY = b'{"status": true, "message": "SMS Processed successfully.", "data": {"sms_id": "31529"}}'
UNBOUNDED = RateLimit(10**9, 1e-6)
LIMITS = RateLimits(sms_send=UNBOUNDED, email_send=UNBOUNDED, sms_status=UNBOUNDED, margin=0)
URL = "http://127.0.0.1:9/api/v2"


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


async def per_send(sends: int, ledger: Ledger | None) -> float:
    """Seconds of wall time per send, each with a new key when there is a ledger."""
    transport = httpx.MockTransport(handler)
    run = uuid.uuid4().hex
    async with AsyncEasify(
        "t", base_url=URL, rate_limits=LIMITS, transport=transport, ledger=ledger
    ) as easify:
        start = time.perf_counter()
        for n in range(sends):
            key = None if ledger is None else f"{run}-{n}"
            await easify.sms.send("3152930000", "+13151350000", message="Hi", idempotency_key=key)
        return (time.perf_counter() - start) / sends


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def measure(sends: int, rounds: int, folder: Path, redis_url: str) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(rounds):
        sqlite = SqliteLedger(folder / f"{uuid.uuid4().hex}.db")
        redis = RedisLedger(redis_url)
        for name, ledger in (("no key", None), ("SqliteLedger", sqlite), ("RedisLedger", redis)):
            took = await per_send(sends, ledger)
            best[name] = min(best.get(name, took), took)
        await sqlite.aclose()
        await redis.aclose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("needs redis-server (apt-get install -y redis-server)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder,
             "--appendonly", "yes", "--appendfsync", "always"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)
            anyio.run(per_send, 50, None)  # warm the path up
            best = anyio.run(
                measure, args.sends, args.rounds, Path(folder), f"redis://127.0.0.1:{port}/0"
            )
        finally:
            server.terminate()
            server.wait(10)
    base = best["no key"]
    print(f"sms.send, wall time per send (best of {args.rounds} x {args.sends}):")
    for name, took in best.items():
        print(f"  {name:<14} {took * 1e3:8.3f} ms   {took / base:6.2f}x")


if __name__ == "__main__":
    main()
