"""Rate-limit strategies against a Laravel fixed window, as ratios from one run.

Every strategy sends N SMS through ``AsyncEasify`` to the sandbox (15 per 60 s, random
latency of 0-500 ms each way) and is measured by completion time / window floor and the
429s the server answered. The run uses the real 60-second window on a virtual clock (an
asyncio loop whose time jumps to its next timer when idle), so the ratios are exact and a
1,000-message run takes seconds. Strategies:

- ``easify``: the SDK's own limiter (slots held until period + margin after the response;
  a cold endpoint sends one request first and sizes the burst by its Remaining);
- ``aiolimiter(15, 60)`` and ``aiolimiter(1, 4)`` around each send, SDK limiting off;
- ``send-then-retry``: no limiter, the SDK retrying each 429 after the stated wait.

Then the cold starts, ``easify`` only: the same run begun while another process has spent
12 of the window's 15 (its floor: the 3 left, then the rest in windows from the moment
that window closes), and the plain run against a server that sends no rate-limit headers.

Run: ``python benchmarks/bench_limits.py [--quick]``; writes benchmarks/results/limits.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import selectors
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from aiolimiter import AsyncLimiter

from easify_async import AsyncEasify, RateLimitError
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox

LIMIT, PERIOD = 15, 60.0


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps ahead whenever it would wait: timers fire at once.

    Only in-process work runs here (no sockets), so waiting is always for a timer.
    """

    def __init__(self) -> None:
        super().__init__(selectors.DefaultSelector())
        self._now = 0.0
        real_select = self._selector.select  # type: ignore[attr-defined]

        def select(timeout: float | None = None) -> Any:
            events = real_select(0)
            if not events and timeout:
                self._now += timeout
            return events

        self._selector.select = select  # type: ignore[attr-defined]

    def time(self) -> float:
        return self._now


Strategy = Callable[[AsyncEasify, Callable[[], Awaitable[Any]]], Awaitable[Any]]


def around(limiter: AsyncLimiter) -> Strategy:
    async def send(easify: AsyncEasify, call: Callable[[], Awaitable[Any]]) -> Any:
        async with limiter:
            return await call()

    return send


async def plain(easify: AsyncEasify, call: Callable[[], Awaitable[Any]]) -> Any:
    return await call()


SPENT = 12  # by another process, in the cold-start case


async def spend(other: AsyncEasify, count: int) -> None:
    """Another process's sends, numbered apart from the measured ones."""
    async with anyio.create_task_group() as tg:
        for n in range(count):
            tg.start_soon(lambda n=n: other.sms.send(
                DEMO_FROM_NUMBER, f"+1316{n:07d}", message="hi", force_send=True))  # fmt: skip


async def measure(name: str, count: int, seed: int) -> tuple[float, int, int]:
    """(completion / window floor, 429s seen by the server, sends that gave up)."""
    rng = random.Random(seed)
    sandbox = Sandbox(
        clock=anyio.current_time,
        faults=Faults(latency=(0.0, 1.0), seed=rng.randrange(1 << 30)),
        rate_limit_headers=name != "easify, no X-RateLimit headers",
    )
    cold_start = name == "easify, 12 of 15 spent elsewhere"
    ours = name.startswith("easify")
    window_closes = 0.0
    if cold_start:
        async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as other:
            await spend(other, SPENT)
        window_closes = min(sms.accepted_at for sms in sandbox.sent_sms) + PERIOD
    options: dict[str, Any] = (
        {} if ours else {"rate_limits": None, "max_retries": 50, "retry_deadline": 1e9}
    )
    strategy: Strategy = {
        "easify": plain,
        "easify, 12 of 15 spent elsewhere": plain,
        "easify, no X-RateLimit headers": plain,
        "aiolimiter(15, 60)": around(AsyncLimiter(15, 60)),
        "aiolimiter(1, 4)": around(AsyncLimiter(1, 4)),
        "send-then-retry": plain,
    }[name]
    gave_up = 0
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), **options) as easify:

        async def one(n: int) -> None:
            nonlocal gave_up
            try:
                await strategy(easify, lambda: easify.sms.send(
                    DEMO_FROM_NUMBER, f"+1315{n:07d}", message="hi", force_send=True))  # fmt: skip
            except RateLimitError:
                gave_up += 1

        start = anyio.current_time()
        async with anyio.create_task_group() as tg:
            for n in range(count):
                tg.start_soon(one, n)
        elapsed = anyio.current_time() - start
    if cold_start:
        # The 3 left go now; the rest need whole windows, the first opening as the spent one closes.
        floor = window_closes - start + (math.ceil((count - (LIMIT - SPENT)) / LIMIT) - 1) * PERIOD
    else:
        floor = max((math.ceil(count / LIMIT) - 1) * PERIOD, 1.0)
    return elapsed / floor, sandbox.rejected_requests, gave_up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 15, 30, 100 only")
    args = parser.parse_args()
    sizes = [15, 30, 100] if args.quick else [15, 30, 100, 1000]
    names = [
        "easify",
        "aiolimiter(15, 60)",
        "aiolimiter(1, 4)",
        "send-then-retry",
        "easify, 12 of 15 spent elsewhere",
        "easify, no X-RateLimit headers",
    ]
    lines = [
        "| strategy | " + " | ".join(f"N={n}: time/floor, 429s" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for name in names:
        cells = []
        for n in sizes:
            with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
                ratio, rejected, gave_up = runner.run(measure(name, n, seed=n))
            cells.append(f"{ratio:.3f}, {rejected}" + (f" ({gave_up} gave up)" if gave_up else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    note = (
        f"\n15 per {PERIOD:g} s, latency 0-500 ms each way, virtual clock. The floor for N is "
        "(ceil(N/15) - 1) windows; N=15 fits one window (floor shown as 1 s). With 12 of 15 "
        "spent elsewhere it is the time until that window closes, plus ceil((N-3)/15) - 1 "
        "windows.\n"
    )
    table = "\n".join(lines) + "\n" + note
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "limits.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
