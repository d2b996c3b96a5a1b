"""Many tokens on one client, as an agency runs it, as ratios measured in one run.

One ``AsyncEasify``; for each of N tokens (1, 10, 100, 1,000) a ``with_options`` child,
each sending 30 SMS at once, against the sandbox with a scaled window (15 sends a
second per token), in process (``sandbox.transport()``) and over a real socket
(uvicorn in a process of its own, so that the client's CPU is measured alone):

- wall / floor: completion time against the window floor (30 sends are two bursts of
  15, one window apart: the floor is one window);
- CPU per send, against the one-token run of the same mode (target <= 1.2x);
- 429s the server answered (counted from the SDK's log of each) and errors;
- memory per waiting send: N x 30 sends started against a server that never answers
  (each token's first send is out, the other 29 wait for its reply; 100 of the firsts
  are in the pool, the rest wait for a connection), traced by tracemalloc once every
  task waits, per send started; and the SDK's part of it (target <= 2 KB): that less
  the same tasks each waiting on an event instead (the task alone: anyio 4 gives each
  task a cancel scope and an event of its own, some 4 KB that no SDK can save).

Run: ``python benchmarks/bench_tokens.py [--tokens 1 10 100]``; writes
benchmarks/results/tokens.md (only for the full run).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import logging
import socket
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
from anyio.abc import TaskGroup

from easify_async import AsyncEasify, RateLimits
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Account, Sandbox

PERIOD = 1.0  # the sandbox's minute
SENDS = 30
COUNTS = (1, 10, 100, 1000)
LIMITS = RateLimits().scaled(PERIOD / 60)
FAILURES: Counter[str] = Counter()  # every error of the run, by kind, for the note


def token(n: int) -> str:
    return f"{n + 1}|bench{n:028d}"


def sandbox_for(tokens: int) -> Sandbox:
    sandbox = Sandbox(period=PERIOD)
    for n in range(tokens):
        sandbox.add_account(Account(token=token(n)))
    return sandbox


def serve(tokens: int) -> None:
    """The server process: a sandbox with ``tokens`` accounts; prints its port."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(sandbox_for(tokens).app, log_level="error", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


class Refusals(logging.Handler):
    """Counts the SDK's log line for each 429 it was answered."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if ": 429" in record.getMessage():
            self.count += 1


async def run(tokens: int, rounds: int, **client: object) -> tuple[float, float, int, int]:
    """``rounds`` runs of N tokens x 30 sends: (wall per round, CPU per send, 429s, errors)."""
    refusals = Refusals()
    logging.getLogger("easify_async").addHandler(refusals)
    logging.getLogger("easify_async").setLevel(logging.INFO)
    errors = 0

    async def send(child: AsyncEasify) -> None:
        nonlocal errors
        try:
            await child.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        except Exception as exc:
            errors += 1
            FAILURES[f"{type(exc).__name__}: {exc}"[:160]] += 1

    wall = cpu = 0.0
    try:
        async with AsyncEasify(DEMO_TOKEN, rate_limits=LIMITS, **client) as easify:  # type: ignore[arg-type]
            for _ in range(rounds):
                children = [easify.with_options(api_token=token(n)) for n in range(tokens)]
                gc.collect()
                start, start_cpu = time.perf_counter(), time.process_time()
                async with anyio.create_task_group() as group:
                    for child in children:
                        for _ in range(SENDS):
                            group.start_soon(send, child)
                wall += time.perf_counter() - start
                cpu += time.process_time() - start_cpu
                await anyio.sleep(PERIOD * 1.1)  # the next round starts on fresh windows
    finally:
        logging.getLogger("easify_async").removeHandler(refusals)
    return wall / rounds, cpu / (rounds * tokens * SENDS), refusals.count, errors


class Silent(httpx.AsyncBaseTransport):
    """A server that never answers."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


async def waiting_memory(tokens: int) -> tuple[float, float]:
    """Bytes per send started once N x 30 sends all wait, and per task that waits alone."""

    async def send(child: AsyncEasify) -> None:
        await child.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")

    async def idle(event: anyio.Event) -> None:
        await event.wait()

    # No deadline: tracing makes 30,000 sends slow to start, and none may time out.
    async with AsyncEasify(
        DEMO_TOKEN, transport=Silent(), rate_limits=LIMITS, timeout=3600.0
    ) as easify:
        children = [easify.with_options(api_token=token(n)) for n in range(tokens)]
        used = await traced(lambda group: [group.start_soon(send, c) for c in children])
    event = anyio.Event()
    alone = await traced(lambda group: [group.start_soon(idle, event) for _ in range(tokens)])
    return used / (tokens * SENDS), alone / (tokens * SENDS)


async def traced(start: Callable[[TaskGroup], object]) -> float:
    """Bytes allocated by ``SENDS`` rounds of ``start``'s tasks once all of them wait."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        async with anyio.create_task_group() as group:
            for _ in range(SENDS):
                start(group)
            await anyio.wait_all_tasks_blocked()
            gc.collect()
            used = tracemalloc.get_traced_memory()[0] - before
            group.cancel_scope.cancel()
    finally:
        tracemalloc.stop()
    return used


async def measure(counts: list[int]) -> list[str]:
    lines = []
    # Warm up: imports, the first connections, the sandbox's routes.
    await run(10, 1, transport=sandbox_for(10).transport())
    for mode in ("in process", "uvicorn"):
        one_cpu = 0.0
        for tokens in counts:
            rounds = 5 if tokens == 1 else 1
            if mode == "in process":
                wall, cpu, refused, errors = await run(
                    tokens, rounds, transport=sandbox_for(tokens).transport()
                )
            else:
                # Blocking, before the measured run: nothing else runs in the loop yet.
                server = subprocess.Popen(  # noqa: ASYNC220
                    [sys.executable, __file__, "--serve", str(tokens)], stdout=subprocess.PIPE
                )
                try:
                    assert server.stdout is not None
                    port = int(server.stdout.readline())
                    base_url = f"http://127.0.0.1:{port}/api/v2"
                    await run(1, 1, base_url=base_url)  # the server's warm-up
                    wall, cpu, refused, errors = await run(tokens, rounds, base_url=base_url)
                finally:
                    server.terminate()
                    server.wait()
            one_cpu = one_cpu or cpu
            memory = "- | -"
            if mode == "in process":
                used, alone = await waiting_memory(tokens)
                memory = f"{used / 1024:.1f} KB | {(used - alone) / 1024:.1f} KB"
            line = (
                f"| {mode} | {tokens} | {wall / PERIOD:.2f} | {cpu * 1e6:.0f} us, "
                f"{cpu / one_cpu:.2f}x | {memory} | {refused} | {errors} |"
            )
            print(line, flush=True)
            lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, nargs="+", default=list(COUNTS))
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    sniffio = "importable" if importlib.util.find_spec("sniffio") else "not installed"
    header = [
        "| mode | tokens | wall / floor | CPU per send, vs 1 token (target <= 1.2x) "
        "| memory per waiting send | of which the SDK's (target <= 2 KB) | 429s | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(header), flush=True)
    lines = anyio.run(measure, args.tokens)
    note = (
        f"\n30 sends per token, 15 per {PERIOD:g} s window; floor: one window. "
        f"Python {sys.version.split()[0]}, sniffio {sniffio}. CPU: the client's process "
        "(in process it includes the sandbox's work). Memory: in process, against a "
        "server that never answers; the SDK's part: less the same tasks each waiting on "
        "an event (the task alone).\n"
    )
    if FAILURES:
        note += "\nErrors: " + "; ".join(f"{n} x {kind}" for kind, n in FAILURES.items()) + "\n"
    print(note)
    if args.tokens == list(COUNTS):
        results = Path(__file__).with_name("results")
        results.mkdir(exist_ok=True)
        (results / "tokens.md").write_text("\n".join([*header, *lines]) + "\n" + note)


if __name__ == "__main__":
    main()
