"""Webhook receivers over a real socket: the FastAPI and aiohttp adapters, memory and Redis
replay guards, against a bare endpoint doing the same verification, as ratios from one run.

Each server (uvicorn + FastAPI, aiohttp) runs in its own process with every route; 16
connections POST signed deliveries, each a new event. Routes: ``bare`` (verify, claim and
confirm by hand, memory guard), ``memory`` and ``redis`` (the ready router or handler with
that guard), ``depends`` (FastAPI: the ``SmsWebhook``/``EmailWebhook`` dependency in an
endpoint of one's own, memory guard), ``yield`` (FastAPI: the bare endpoint behind a
dependency with yield doing nothing, the floor of FastAPI's machinery under ``depends``).

Each round runs every route once, in an order turned each round, so that load from
elsewhere on the machine falls on all alike; a ratio is taken within a round (a route
against the memory guard, or the bare endpoint, of the same round) and reported as the
median over the rounds with its range. Measured per delivery: the receiving server's
CPU (what the goals are judged on: a busy server's throughput is bound by it, and it is
unmoved by the load generator and redis-server competing for the 2 cores, which the
wall-clock rate is not), deliveries a second at 16 connections, redis-server's CPU (in
production it runs elsewhere) and this load generator's own CPU (it shares the cores).
Targets: the Redis guard >= 0.7x the memory guard's throughput for SMS, >= 0.5x for
batches; an adapter adds <= 80 us per SMS over the bare endpoint.

Run: ``python benchmarks/bench_receivers.py [--requests N] [--rounds R]`` (needs
redis-server).
"""

# No `from __future__ import annotations`: FastAPI reads the bare endpoints' annotations.

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, NamedTuple

sys.path.insert(0, str(Path(__file__).parent))

from bench_webhooks import BATCH, SECRET, SMS  # the payloads, written once

from easify_async._php_json import php_json_encode
from easify_async.webhooks import sign

CONNECTIONS = 16
PREFIX = "bench:"
# The routes of each server: a bare endpoint, the adapter with each guard (FastAPI's
# ready router, and its dependency in an endpoint of one's own).
ROUTES = {
    "fastapi": ("bare", "yield", "memory", "depends", "redis"),
    "aiohttp": ("bare", "memory", "redis"),
}


# ---------------------------------------------------------------------------- servers


def _guard(kind: str, redis_url: str) -> Any:
    from easify_async.webhooks import MemoryReplayGuard, RedisReplayGuard

    return RedisReplayGuard(redis_url, prefix=PREFIX) if kind == "redis" else MemoryReplayGuard()


async def _bare(body: bytes, headers: Any, guard: Any, *, email: bool) -> int:
    """The same work as the adapters, by hand: verify, claim each key, confirm."""
    from easify_async.webhooks import verify_email_events, verify_sms_event
    from easify_async.webhooks._replay import event_key

    since = await guard.remembers_since()
    if email:
        events: list[Any] = verify_email_events(
            body, headers, secret=SECRET, not_before=since + 300
        )
    else:
        events = [verify_sms_event(body, headers, secret=SECRET, not_before=since + 900)]
    keys = [event_key(e) for e in events]
    claims = [await guard.claim(k) for k in keys]
    for key, claim in zip(keys, claims, strict=True):
        if claim == "new":
            await guard.confirm(key)
    return len(events)


def fastapi_app(redis_url: str) -> Any:
    from fastapi import Depends, FastAPI, Request
    from fastapi.responses import JSONResponse

    from easify_async.webhooks import EmailEvent, SmsEvent
    from easify_async.webhooks.fastapi import EmailWebhook, SmsWebhook, webhook_router

    app = FastAPI()

    async def ignore(event: object) -> None:
        pass

    for kind in ("memory", "redis"):
        router = webhook_router(
            secret=SECRET,
            on_sms=ignore,
            on_email=ignore,
            sms_path=f"/{kind}/sms",
            email_path=f"/{kind}/email",
            replay_guard=_guard(kind, redis_url),
        )
        app.include_router(router)
    bare_guard = _guard("memory", redis_url)
    sms_webhook = SmsWebhook(secret=SECRET, replay_guard=_guard("memory", redis_url))
    email_webhook = EmailWebhook(secret=SECRET, replay_guard=_guard("memory", redis_url))

    # As the README's example: the adapters' dependencies, in the user's own endpoints.
    @app.post("/depends/sms")
    async def depends_sms(event: Annotated[SmsEvent, Depends(sms_webhook)]) -> JSONResponse:
        return JSONResponse({"detail": "ok"})

    @app.post("/depends/email")
    async def depends_email(
        events: Annotated[list[EmailEvent], Depends(email_webhook)],
    ) -> JSONResponse:
        return JSONResponse({"detail": "ok"})

    async def nothing() -> AsyncIterator[None]:
        yield

    # The bare endpoint behind a dependency with yield that does nothing: what FastAPI's
    # machinery for one costs, the floor under the ``depends`` route.
    @app.post("/yield/sms")
    async def yield_sms(request: Request, _: Annotated[None, Depends(nothing)]) -> JSONResponse:
        await _bare(await request.body(), request.headers, bare_guard, email=False)
        return JSONResponse({"detail": "ok"})

    @app.post("/yield/email")
    async def yield_email(request: Request, _: Annotated[None, Depends(nothing)]) -> JSONResponse:
        await _bare(await request.body(), request.headers, bare_guard, email=True)
        return JSONResponse({"detail": "ok"})

    @app.post("/bare/sms")
    async def bare_sms(request: Request) -> JSONResponse:
        await _bare(await request.body(), request.headers, bare_guard, email=False)
        return JSONResponse({"detail": "ok"})

    @app.post("/bare/email")
    async def bare_email(request: Request) -> JSONResponse:
        await _bare(await request.body(), request.headers, bare_guard, email=True)
        return JSONResponse({"detail": "ok"})

    @app.get("/cpu")
    async def cpu() -> float:
        return time.process_time()

    return app


def aiohttp_app(redis_url: str) -> Any:
    from aiohttp import web

    from easify_async.webhooks.aiohttp import email_handler, sms_handler

    app = web.Application()

    async def ignore(event: object) -> None:
        pass

    for kind in ("memory", "redis"):
        guard = _guard(kind, redis_url)
        app.router.add_post(f"/{kind}/sms", sms_handler(ignore, secret=SECRET, replay_guard=guard))
        app.router.add_post(
            f"/{kind}/email", email_handler(ignore, secret=SECRET, replay_guard=guard)
        )
    bare_guard = _guard("memory", redis_url)

    def bare(email: bool) -> Any:
        async def handle(request: web.Request) -> web.Response:
            await _bare(await request.read(), request.headers, bare_guard, email=email)
            return web.json_response({"detail": "ok"})

        return handle

    async def cpu(request: web.Request) -> web.Response:
        return web.json_response(time.process_time())

    app.router.add_post("/bare/sms", bare(False))
    app.router.add_post("/bare/email", bare(True))
    app.router.add_get("/cpu", cpu)
    return app


def serve(framework: str, port: int, redis_url: str) -> None:
    if framework == "fastapi":
        import uvicorn

        uvicorn.run(
            fastapi_app(redis_url), host="127.0.0.1", port=port, log_level="warning",
            access_log=False,
        )  # fmt: skip
    else:
        from aiohttp import web

        web.run_app(
            aiohttp_app(redis_url), host="127.0.0.1", port=port, print=None, access_log=None
        )


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{process.args!r} did not start")


@contextmanager
def processes(
    frameworks: list[str], before: Path | None
) -> Iterator[tuple[dict[str, tuple[str, str]], int]]:
    """A redis-server and each receiver server (each twice with ``before``: this tree's
    easify_async and the one in ``before``); yields each server's label, framework and
    origin, and redis-server's process id."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    started: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as workdir:
            redis_port = free_port()
            redis = subprocess.Popen(
                [binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", workdir],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            started.append(redis)
            wait_for(redis_port, redis)
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
            # The store has remembered for a day: fresh events are not refused as older than
            # its memory (a guard that finds no marker remembers nothing before now).
            subprocess.run(
                [binary.replace("redis-server", "redis-cli"), "-p", str(redis_port), "SET",
                 f"{PREFIX}since", str(int(time.time()) - 86400)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            origins = {}
            trees = {"": None} if before is None else {"": None, " (before)": before}
            for framework in frameworks:
                for label, tree in trees.items():
                    env = dict(os.environ)
                    if tree is not None:
                        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
                    port = free_port()
                    server = subprocess.Popen(
                        [sys.executable, __file__, "--serve", framework, "--port", str(port),
                         "--redis", redis_url],
                        env=env,
                    )  # fmt: skip
                    started.append(server)
                    wait_for(port, server)
                    origins[framework + label] = (framework, f"http://127.0.0.1:{port}")
            yield origins, redis.pid
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(10)


# ---------------------------------------------------------------------------- load


Load = list[tuple[bytes, dict[str, str]]]


class Deliveries:
    """Signed deliveries, each of new events, made ahead so that signing costs nothing."""

    def __init__(self) -> None:
        self._count = 0

    def make(self, email: bool, number: int) -> Load:
        now = int(time.time())
        made = []
        for _ in range(number):
            self._count += 1
            payload: Any
            if email:
                tag = f"-{self._count}"
                payload = [
                    {**event, "timestamp": now, "sg_event_id": event["sg_event_id"] + tag}
                    for event in BATCH
                ]
            else:
                created = datetime.fromtimestamp(now, timezone.utc)
                payload = {**SMS, "sms_id": f"bench-{self._count}",
                           "created_at": created.strftime("%Y-%m-%d %H:%M:%S")}  # fmt: skip
            headers = {
                "X-Easify-Signature": sign(payload, secret=SECRET),
                "X-Easify-Timestamp": str(now),
                "Content-Type": "application/json",
            }
            made.append((php_json_encode(payload), headers))
        return made


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Sample(NamedTuple):
    """One variant's run: deliveries a second, and CPU seconds per delivery of the
    receiving server, of redis-server and of this load generator."""

    rate: float
    server: float
    redis: float
    load: float


async def run(session: Any, origin: str, path: str, load: Load, redis_pid: int) -> Sample:
    """POST every delivery over 16 connections, measuring wall and each process's CPU."""
    async with session.get(f"{origin}/cpu") as answer:
        server_before = float(await answer.json())
    queue = iter(load)
    failures: list[str] = []

    async def worker() -> None:
        for body, headers in queue:
            async with session.post(f"{origin}{path}", data=body, headers=headers) as answer:
                text = await answer.text()
                if answer.status != 200 or "duplicate" in text:
                    failures.append(f"{answer.status} {text}")

    redis_before, load_before = cpu_of(redis_pid), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    wall = time.perf_counter() - started
    redis_after, load_after = cpu_of(redis_pid), time.process_time()
    async with session.get(f"{origin}/cpu") as answer:
        server_after = float(await answer.json())
    if failures:
        raise RuntimeError(f"{origin}{path}: {len(failures)} failed, e.g. {failures[0]}")
    n = len(load)
    return Sample(
        n / wall,
        (server_after - server_before) / n,
        (redis_after - redis_before) / n,
        (load_after - load_before) / n,
    )


def spread(values: list[float], form: str) -> str:
    """The median, then the range over the rounds: ``0.74x (0.69-0.80)``."""
    low, high = min(values), max(values)
    return f"{form.format(statistics.median(values))} ({form.format(low)}..{form.format(high)})"


async def measure(
    origins: dict[str, tuple[str, str]], redis_pid: int, requests: int, rounds: int
) -> list[str]:
    """Every variant once a round, the order turned each round; ratios taken per round
    (against the memory guard and the bare endpoint of the same round), then their
    median and range over the rounds."""
    import aiohttp

    deliveries = Deliveries()
    samples: dict[tuple[str, str, str], list[Sample]] = {}
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        for round_ in range(rounds + 1):  # round 0 warms up (imports, connections, caches)
            for label, (framework, origin) in origins.items():
                for payload in ("sms", "email"):
                    number = requests if payload == "sms" else max(1, requests // 4)
                    routes = ROUTES[framework]
                    turn = round_ % len(routes)
                    for guard in routes[turn:] + routes[:turn]:
                        load = deliveries.make(payload == "email", number if round_ else 50)
                        path = f"/{guard}/{payload}"
                        sample = await run(session, origin, path, load, redis_pid)
                        if round_:
                            samples.setdefault((label, payload, guard), []).append(sample)
    rows = []
    for label, (framework, _) in origins.items():
        for payload in ("sms", "email"):
            bare = samples[(label, payload, "bare")]
            memory = samples[(label, payload, "memory")]
            for guard in ROUTES[framework]:
                mine = samples[(label, payload, guard)]
                by_wall = by_cpu = added = ""
                if guard != "bare":
                    rounds = list(zip(mine, memory, bare, strict=True))
                    by_wall = spread([s.rate / m.rate for s, m, _ in rounds], "{:.2f}x")
                    by_cpu = spread([m.server / s.server for s, m, _ in rounds], "{:.2f}x")
                    adds = [(s.server - b.server) * 1e6 for s, _, b in rounds]
                    added = spread(adds, "{:+.0f}") + " us"
                rate = statistics.median(s.rate for s in mine)
                server = statistics.median(s.server for s in mine) * 1e6
                redis = statistics.median(s.redis for s in mine) * 1e6
                load_cpu = statistics.median(s.load for s in mine) * 1e6
                delivery = "SMS" if payload == "sms" else "11-event batch"
                rows.append(
                    f"| {label} | {delivery} | {guard} | {server:.0f} us | {by_cpu}"
                    f" | {added} | {rate:,.0f}/s | {by_wall} | {redis:.0f} us | {load_cpu:.0f} us |"
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="SMS a variant a round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--servers", nargs="+", choices=list(ROUTES), default=list(ROUTES))
    parser.add_argument(
        "--before",
        type=Path,
        help="a directory holding another easify_async (e.g. `git archive main easify_async`"
        " unpacked): each server runs with it too, in the same rounds",
    )
    parser.add_argument("--serve", choices=["fastapi", "aiohttp"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--redis", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.redis)
        return
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    with processes(args.servers, args.before) as (origins, redis_pid):
        rows = asyncio.run(measure(origins, redis_pid, args.requests, args.rounds))
    header = (
        "| server | delivery | route | server CPU each | of memory guard, by server CPU"
        " (>= 0.7x SMS, >= 0.5x batch) | adapter adds, server CPU (<= 80 us SMS)"
        f" | deliveries/s ({CONNECTIONS} connections) | of memory guard, by deliveries/s"
        " | redis-server CPU each | load generator CPU each |"
    )
    note = (
        f"Medians of {args.rounds} rounds, (min..max) of the per-round values; each round"
        f" runs every route once ({args.requests:,} SMS or {max(1, args.requests // 4):,}"
        " batches each, 16 connections), in an order turned each round. The goals are"
        " judged on server CPU: a busy receiver's throughput is bound by its own CPU,"
        " while deliveries/s on this 2-core machine also pays for the load generator and"
        " redis-server sharing the cores (their CPU per delivery in the last two columns;"
        " in production Redis runs elsewhere) and moves with load from other processes."
    )
    if args.before:
        note += (
            f" Rows marked (before): the same servers in the same rounds, running the"
            f" easify_async in {args.before}."
        )
    table = "\n".join([header, "|---|---|---|---|---|---|---|---|---|---|", *rows, "", note])
    print(table)
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "receivers.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
