"""``send_many(journal=LEDGER)``: each item sent under its key as an idempotency key, so a
run resumes on another machine and workers share one input, nothing sent twice."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from easify_async import ArgumentError, AsyncEasify, RateLimits
from easify_async.bulk import Outcome, SmsMessage, SmsResult
from easify_async.errors import KeyConflictError, RecordedFailureError
from easify_async.ledgers import Ledger, RedisLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import served
from tests.limiters.conftest import RedisServer

from .bulk_runner import rows
from .conftest import STORES

pytestmark = pytest.mark.anyio

MakeLedger = Callable[..., Ledger]
PERIOD = 0.5


async def run(easify: AsyncEasify, items: list[SmsMessage], ledger: Ledger) -> dict[str, SmsResult]:
    return {r.key: r async for r in easify.sms.send_many(items, journal=ledger)}


def client(base_url: str) -> AsyncEasify:
    return AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=RateLimits().scaled(PERIOD / 60))


@STORES
async def test_a_second_run_on_the_ledger_sends_nothing_again(make_ledger: MakeLedger) -> None:
    """The same items twice: SENT, then ALREADY_SENT with the same ids; a refusal recorded
    is ALREADY_FAILED; a key given other input is a KeyConflictError; one SMS per item."""
    sandbox = Sandbox(period=PERIOD)
    sandbox.blacklist.add("+13151350003")
    ledger = make_ledger()
    items = rows(5)
    async with served(sandbox) as base_url, client(base_url) as easify:
        first = await run(easify, items, ledger)
        sandbox.blacklist.clear()
        second = await run(easify, items, ledger)
        changed = [SmsMessage(DEMO_FROM_NUMBER, "+13151350000", message="new", key="k0")]
        conflict = await run(easify, changed, ledger)
    assert {k: r.outcome for k, r in first.items()} == {
        **{f"k{n}": Outcome.SENT for n in (0, 1, 2, 4)},
        "k3": Outcome.FAILED,
    }
    assert {k: r.outcome for k, r in second.items()} == {
        **{f"k{n}": Outcome.ALREADY_SENT for n in (0, 1, 2, 4)},
        "k3": Outcome.ALREADY_FAILED,
    }
    assert {k: r.sms_id for k, r in second.items()} == {k: r.sms_id for k, r in first.items()}
    assert isinstance(second["k3"].error, RecordedFailureError)
    assert conflict["k0"].outcome is Outcome.FAILED
    assert isinstance(conflict["k0"].error, KeyConflictError)
    assert len(sandbox.sent_sms) == 4


async def test_on_a_ledger_every_item_needs_a_key_and_ambiguous_ones_are_not_resent(
    make_ledger: MakeLedger,
) -> None:
    """An item without a key is FAILED (a position names another run's item too);
    resend_ambiguous is refused: the ledger's ambiguous keys are settled there."""
    sandbox = Sandbox(period=PERIOD)
    ledger = make_ledger()
    async with served(sandbox) as base_url, client(base_url) as easify:
        keyless = [SmsMessage(DEMO_FROM_NUMBER, "+13151350000", message="Hi")]
        [result] = (await run(easify, keyless, ledger)).values()
        assert result.outcome is Outcome.FAILED
        assert isinstance(result.error, ArgumentError)
        assert result.error.argument == "key"
        with pytest.raises(ArgumentError, match="resend_ambiguous"):
            easify.sms.send_many(rows(1), journal=ledger, resend_ambiguous=True)
    assert sandbox.sent_sms == []


@STORES
async def test_two_workers_sharing_one_input_send_each_item_once(make_ledger: MakeLedger) -> None:
    """Two runs of the same 30 items at once, on two clients and one ledger: each item
    sent once; each run reports every item, SENT by one and ALREADY_SENT by the other."""
    sandbox = Sandbox(period=PERIOD)
    ledger = make_ledger()
    items = rows(30)
    results: list[dict[str, SmsResult]] = []
    async with served(sandbox) as base_url, client(base_url) as one, client(base_url) as two:

        async def worker(easify: AsyncEasify) -> None:
            results.append(await run(easify, items, ledger))

        async with anyio.create_task_group() as tg:
            tg.start_soon(worker, one)
            tg.start_soon(worker, two)
    assert collections.Counter(s.message for s in sandbox.sent_sms) == {
        f"item {n}": 1 for n in range(30)
    }
    for n in range(30):
        outcomes = sorted(r[f"k{n}"].outcome.value for r in results)
        assert outcomes == ["already_sent", "sent"]
        assert results[0][f"k{n}"].sms_id == results[1][f"k{n}"].sms_id


@pytest.mark.redis
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_run_killed_on_one_machine_is_resumed_on_another(
    durable_redis: RedisServer, tmp_path: Path
) -> None:
    """A bulk run in one process, SIGKILLed once a third of its items are out, resumed by
    a run in another process (its own folder) on the same Redis ledger: nothing twice,
    nothing skipped (every item sent once, or MAYBE_SENT: cut off mid-request, and then
    sent at most once)."""
    count = 60
    prefix = f"resume:{uuid.uuid4().hex}:"
    sandbox = Sandbox(period=PERIOD)
    root = Path(__file__).parents[2]
    async with served(sandbox) as base_url:
        lines: list[dict[str, Any]] = []
        for machine, kill_at in (("a", count // 3), ("b", None)):
            folder = tmp_path / machine
            folder.mkdir()
            command = [sys.executable, "-m", "tests.ledgers.bulk_runner", base_url]
            command += [durable_redis.url, prefix, str(count), str(PERIOD)]
            with (folder / "stderr").open("wb") as errors:
                process = await anyio.open_process(
                    command, cwd=folder, stdout=subprocess.PIPE, stderr=errors,
                    env={**_environment(), "PYTHONPATH": str(root)},
                )  # fmt: skip
            async with process:
                if kill_at is not None:
                    with anyio.fail_after(120):
                        while len(sandbox.sent_sms) < kill_at:
                            await anyio.sleep(0.005)
                    process.kill()
                with anyio.fail_after(120):
                    await process.wait()
                assert process.stdout is not None
                out = b"".join([chunk async for chunk in process.stdout])
            if kill_at is None:
                assert process.returncode == 0, (folder / "stderr").read_text()[-3000:]
                lines = [json.loads(line) for line in out.decode().splitlines()]
    final = {line["key"]: line["outcome"] for line in lines}
    assert sorted(final) == sorted(f"k{n}" for n in range(count))
    sends = collections.Counter(s.message for s in sandbox.sent_sms)
    for n in range(count):
        if final[f"k{n}"] == "maybe_sent":
            assert sends[f"item {n}"] <= 1
        else:
            assert final[f"k{n}"] in ("sent", "already_sent")
            assert sends[f"item {n}"] == 1
    assert list(final.values()).count("already_sent") >= count // 3 - 15  # the first run's
    ledger = RedisLedger(durable_redis.url, prefix=prefix)
    assert (await ledger.entry("k0")) is not None
    await ledger.aclose()


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
