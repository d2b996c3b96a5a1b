"""A bulk run killed with SIGKILL at random points and resumed sends every item exactly once."""

from __future__ import annotations

import collections
import json
import random
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox, serve

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]
COUNT = 120
PERIOD = 0.3


async def run_bulk(base_url: str, journal: Path, kill_after: float | None) -> list[dict[str, str]]:
    """Run the bulk script; SIGKILL it after ``kill_after`` seconds; its JSON lines so far."""
    command = [
        sys.executable,
        "-m",
        "tests.bulk.kill_runner",
        base_url,
        DEMO_TOKEN,
        DEMO_FROM_NUMBER,
        str(journal),
        str(COUNT),
        str(PERIOD),
    ]
    async with await anyio.open_process(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        if kill_after is not None:
            with anyio.move_on_after(kill_after):
                await process.wait()
            if process.returncode is None:
                process.kill()  # SIGKILL: no cleanup, no flush
        with anyio.fail_after(120):
            await process.wait()
        assert process.stdout is not None
        out = b"".join([chunk async for chunk in process.stdout])
    if kill_after is None:
        assert process.returncode == 0
    return [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]


async def test_killed_and_resumed_runs_send_each_item_exactly_once(tmp_path: Path) -> None:
    """Three SIGKILLs at random moments, then a full run: nothing twice, nothing missing."""
    rng = random.Random(2026)
    # Latency keeps requests in flight long enough for some kills to land mid-request.
    sandbox = Sandbox(period=PERIOD, faults=Faults(latency=(0.05, 0.2), seed=1))
    journal = tmp_path / "bulk.db"
    async with serve(sandbox) as base_url:
        for _ in range(3):
            await run_bulk(base_url, journal, kill_after=rng.uniform(0.7, 2.2))
        final = {
            line["key"]: line["outcome"]
            for line in await run_bulk(base_url, journal, kill_after=None)
        }
    per_item = collections.Counter(sms.message for sms in sandbox.sent_sms)
    assert sorted(final) == sorted(f"k{n}" for n in range(COUNT))
    maybe = {key for key, outcome in final.items() if outcome == "maybe_sent"}
    for n in range(COUNT):
        sent = per_item[f"item {n}"]
        if f"k{n}" in maybe:
            assert sent <= 1, f"k{n} sent {sent} times"
        else:
            assert final[f"k{n}"] in ("sent", "already_sent")
            assert sent == 1, f"k{n} sent {sent} times"
    assert len(maybe) <= 3 * 15  # only what was in flight at a kill
