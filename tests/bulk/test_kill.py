"""A bulk run killed with SIGKILL at random points and resumed sends every item exactly once."""

from __future__ import annotations

import collections
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from anyio.abc import Process

from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox, serve

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).parents[2]
COUNT = 120
PERIOD = 0.3


async def run_bulk(
    base_url: str,
    journal: Path,
    *,
    kill_after: float | None = None,
    sandbox: Sandbox | None = None,
    limits: str = str(PERIOD),
    concurrency: int | None = None,
    count: int = COUNT,
    options: tuple[str, ...] = (),
    target: str = DEMO_FROM_NUMBER,
    kill_when: Callable[[], bool] | None = None,
) -> list[dict[str, str]]:
    """Run the bulk script (with ``options``, to ``target``); its JSON lines so far.

    SIGKILLed ``kill_after`` seconds after it starts or, with ``sandbox``, that long
    after the sandbox's 429s to it have settled: while its refused items wait; with
    ``kill_when``, that long after it turns true (progress, not time: a loaded machine
    starts the process late).
    """
    command = [
        sys.executable,
        "-m",
        "tests.bulk.kill_runner",
        *options,
        base_url,
        DEMO_TOKEN,
        target,
        str(journal),
        str(count),
        limits,
        *([] if concurrency is None else [str(concurrency)]),
    ]
    refused_before = 0 if sandbox is None else sandbox.rejected_requests
    async with await anyio.open_process(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        if kill_after is not None:
            if sandbox is not None:
                with anyio.move_on_after(60):
                    await refusals_settled(sandbox, refused_before, process)
            if kill_when is not None:
                with anyio.move_on_after(60):
                    while not kill_when() and process.returncode is None:
                        await anyio.sleep(0.01)
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


async def refusals_settled(sandbox: Sandbox, before: int, process: Process) -> None:
    """Return once the sandbox has refused requests and then refused none for a while."""
    seen, quiet = before, 0.0
    while (seen == before or quiet < 0.5) and process.returncode is None:
        await anyio.sleep(0.02)
        quiet = 0.0 if sandbox.rejected_requests != seen else quiet + 0.02
        seen = sandbox.rejected_requests


def check_exactly_once(sandbox: Sandbox, final: dict[str, str], count: int = COUNT) -> set[str]:
    """Every item has a result; each was sent once, a MAYBE_SENT one at most once; those."""
    per_item = collections.Counter(sms.message for sms in sandbox.sent_sms)
    assert sorted(final) == sorted(f"k{n}" for n in range(count))
    maybe = {key for key, outcome in final.items() if outcome == "maybe_sent"}
    for n in range(count):
        sent = per_item[f"item {n}"]
        if f"k{n}" in maybe:
            assert sent <= 1, f"k{n} sent {sent} times"
        else:
            assert final[f"k{n}"] in ("sent", "already_sent")
            assert sent == 1, f"k{n} sent {sent} times"
    return maybe


async def test_killed_and_resumed_runs_send_each_item_exactly_once(tmp_path: Path) -> None:
    """Three SIGKILLs at random moments, then a full run: nothing twice, nothing missing."""
    rng = random.Random(2026)
    # Latency keeps requests in flight long enough for some kills to land mid-request.
    sandbox = Sandbox(period=PERIOD, faults=Faults(latency=(0.05, 0.2), seed=1))
    journal = tmp_path / "bulk.db"
    async with serve(sandbox) as base_url:
        for _ in range(3):
            await run_bulk(base_url, journal, kill_after=rng.uniform(0.7, 2.2))
        final = {line["key"]: line["outcome"] for line in await run_bulk(base_url, journal)}
    maybe = check_exactly_once(sandbox, final)
    assert len(maybe) <= 3 * 15  # only what was in flight at a kill


async def test_a_killed_and_resumed_contact_import_creates_each_contact_once(
    tmp_path: Path, anyio_backend: str
) -> None:
    """The same kills on ``contacts.create_many``, whose process runs this test's backend.

    Each kill lands a moment after a few more contacts were created, while the next
    requests are out.
    """
    rng = random.Random(12)
    count = 90
    sandbox = Sandbox(period=PERIOD, faults=Faults(latency=(0.05, 0.2), seed=3))
    group = sandbox.contacts.add_group(DEMO_TOKEN, "Import", sandbox.wall_clock())
    records = sandbox.contacts.contacts_of(DEMO_TOKEN)
    journal = tmp_path / "import.db"
    options = ("--contacts", "--backend", anyio_backend)
    async with serve(sandbox) as base_url:
        for _ in range(3):
            wanted = len(records) + rng.randint(3, 10)

            def progressed(wanted: int = wanted) -> bool:
                return len(records) >= wanted

            await run_bulk(
                base_url,
                journal,
                kill_after=rng.uniform(0.0, 0.1),
                kill_when=progressed,
                options=options,
                target=str(group.id),
                count=count,
            )
        killed_runs_created = len(records)
        lines = await run_bulk(
            base_url, journal, options=options, target=str(group.id), count=count
        )
    final = {line["key"]: line["outcome"] for line in lines}
    assert sorted(final) == sorted(f"k{n}" for n in range(count))
    created = collections.Counter(record.fields["first_name"] for record in records)
    assert 9 <= killed_runs_created < count  # each kill came after progress, before the end
    for n in range(count):
        if final[f"k{n}"] == "maybe_sent":  # cut off mid-request: created at most once
            assert created[f"item {n}"] <= 1
        else:
            assert final[f"k{n}"] in ("sent", "already_sent")
            assert created[f"item {n}"] == 1, f"k{n} created {created[f'item {n}']} times"
    assert group.contacts_count == sum(created.values())
