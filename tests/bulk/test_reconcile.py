"""Settling "maybe sent" rows: by hand, and from what the API recorded, after SIGKILLs and
replies lost after the server acted (the sandbox's "drop" fault), over uvicorn."""

from __future__ import annotations

import collections
from pathlib import Path

import httpx
import pytest

from easify_async import AsyncEasify, RateLimits
from easify_async.bulk import AMBIGUOUS, Journal, JournalError, Outcome, SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox, serve
from tests.bulk.test_kill import COUNT, PERIOD, run_bulk

pytestmark = pytest.mark.anyio


async def test_kills_and_lost_replies_reconciled_then_resumed_send_each_sms_once(
    tmp_path: Path, anyio_backend: str
) -> None:
    """Every ambiguous row is settled from the SMS report; the resumed run sends the rest once."""
    sandbox = Sandbox(period=PERIOD, faults=Faults(drop=0.15, latency=(0.05, 0.2), seed=7))
    journal = tmp_path / "bulk.db"
    options = ("--backend", anyio_backend)
    async with serve(sandbox) as base_url:
        for kill_after in (0.9, 1.7):
            await run_bulk(base_url, journal, kill_after=kill_after, options=options)
        await run_bulk(base_url, journal, options=options)  # to the end, with lost replies
        async with await Journal.open(journal) as opened:
            ambiguous = {entry.key for entry in await opened.entries(states=AMBIGUOUS)}
        assert ambiguous  # lost replies and kills left rows that may have been sent
        sandbox.faults.drop = 0.0
        sends = len(sandbox.sent_sms)
        limits = RateLimits().scaled(PERIOD / 60)
        async with (
            AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as easify,
            await Journal.open(journal) as opened,
        ):
            settled = await opened.reconcile(easify, server_timezone="UTC")
            after = {entry.key: entry for entry in await opened.entries()}
        assert len(sandbox.sent_sms) == sends  # reads only
        ids = {sms.message: sms.sms_id for sms in sandbox.sent_sms}
        assert {s.key for s in settled} == ambiguous
        for settlement in settled:  # what the server recorded settles every one of them
            message = f"item {settlement.key[1:]}"
            assert settlement.state == ("sent" if message in ids else "not_sent"), settlement
            assert settlement.remote_id == ids.get(message)
            assert after[settlement.key].state == settlement.state
        lines = await run_bulk(base_url, journal, options=options)
    final = {line["key"]: line["outcome"] for line in lines}
    assert sorted(final) == sorted(f"k{n}" for n in range(COUNT))
    assert set(final.values()) <= {"sent", "already_sent"}
    per_item = collections.Counter(sms.message for sms in sandbox.sent_sms)
    assert per_item == {f"item {n}": 1 for n in range(COUNT)}


async def test_a_killed_import_with_lost_replies_is_reconciled_from_the_group(
    tmp_path: Path, anyio_backend: str
) -> None:
    """Contacts: each ambiguous row is found in its group (sent, with its id) or not."""
    count = 60
    sandbox = Sandbox(period=PERIOD, faults=Faults(drop=0.2, latency=(0.05, 0.2), seed=5))
    group = sandbox.contacts.add_group(DEMO_TOKEN, "Import", sandbox.wall_clock())
    records = sandbox.contacts.contacts_of(DEMO_TOKEN)
    journal = tmp_path / "import.db"
    options = ("--contacts", "--backend", anyio_backend)
    target = str(group.id)
    async with serve(sandbox) as base_url:
        await run_bulk(
            base_url, journal, kill_after=1.0, options=options, target=target, count=count
        )
        await run_bulk(base_url, journal, options=options, target=target, count=count)
        sandbox.faults.drop = 0.0
        async with (
            AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify,
            await Journal.open(journal) as opened,
        ):
            settled = await opened.reconcile(easify, server_timezone="UTC")
        assert settled
        ids = {r.fields["first_name"]: str(r.id) for r in records}
        for settlement in settled:
            name = f"item {settlement.key[1:]}"
            assert settlement.state == ("sent" if name in ids else "not_sent"), settlement
            assert settlement.remote_id == ids.get(name)
        lines = await run_bulk(base_url, journal, options=options, target=target, count=count)
    assert {line["outcome"] for line in lines} <= {"sent", "already_sent"}
    created = collections.Counter(r.fields["first_name"] for r in records)
    assert created == {f"item {n}": 1 for n in range(count)}


async def test_rows_settled_by_hand_are_skipped_or_sent_by_the_next_run(tmp_path: Path) -> None:
    """resolve(sent=True, remote_id) makes the row ALREADY_SENT; resolve(sent=False) resends."""
    sandbox = Sandbox(faults=Faults())
    journal = tmp_path / "run.db"
    items = [
        SmsMessage(DEMO_FROM_NUMBER, f"+1315135000{n}", message=f"m{n}", key=f"k{n}")
        for n in range(2)
    ]
    sandbox.faults.queue("drop", 2)  # both processed, both replies lost
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as easify:
        first = [r async for r in easify.sms.send_many(items, journal=journal)]
        assert {r.outcome for r in first} == {Outcome.MAYBE_SENT}
        async with await Journal.open(journal) as opened:
            with pytest.raises(JournalError, match="no row"):
                await opened.resolve("nope", sent=False)
            done = await opened.resolve("k0", sent=True, remote_id="31529")
            assert (done.state, done.remote_id) == ("sent", "31529")
            assert (await opened.resolve("k1", sent=False)).state == "not_sent"
        again = {r.key: r async for r in easify.sms.send_many(items, journal=journal)}
    assert again["k0"].outcome is Outcome.ALREADY_SENT
    assert again["k0"].sms_id == "31529"
    assert again["k1"].outcome is Outcome.SENT
    assert [s.message for s in sandbox.sent_sms] == ["m0", "m1", "m1"]  # k1 resent, by choice


async def test_rows_the_api_cannot_settle_stay_ambiguous_with_the_reason(tmp_path: Path) -> None:
    """An email has no lookup without its id: it stays maybe sent, and says why."""
    from easify_async.bulk import EmailMessage
    from easify_async.sandbox import DEMO_SENDER

    sandbox = Sandbox()
    sandbox.faults.queue("drop")
    journal = tmp_path / "run.db"
    item = EmailMessage(DEMO_SENDER, "ann@example.com", "Hi", message="<p>Hi</p>", key="e1")
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as easify:
        _ = [r async for r in easify.email.send_many([item], journal=journal)]
        async with await Journal.open(journal) as opened:
            (settlement,) = await opened.reconcile(easify)
            (entry,) = await opened.entries()
    assert settlement.state == "maybe_sent"
    assert "email without its id" in settlement.reason
    assert entry.state == "maybe_sent"


class LosingRequests(httpx.AsyncBaseTransport):
    """Times out the first ``lose`` requests after sending them, without passing them on:
    the client cannot tell them from replies lost after the server acted."""

    def __init__(self, inner: httpx.AsyncBaseTransport, lose: int) -> None:
        self.inner = inner
        self.lose = lose

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.lose:
            self.lose -= 1
            raise httpx.ReadTimeout("no reply", request=request)
        return await self.inner.handle_async_request(request)


async def test_rows_the_server_never_recorded_are_settled_not_sent_and_resent_once(
    tmp_path: Path,
) -> None:
    """Timed out before the server saw them: absent from the report, so not sent; resent."""
    sandbox = Sandbox()
    journal = tmp_path / "run.db"
    items = [
        SmsMessage(DEMO_FROM_NUMBER, f"+1315135000{n}", message=f"m{n}", key=f"k{n}")
        for n in range(4)
    ]
    losing = LosingRequests(sandbox.transport(), lose=2)
    async with AsyncEasify(DEMO_TOKEN, transport=losing, rate_limits=None, max_retries=0) as easify:
        first = [r async for r in easify.sms.send_many(items, journal=journal, concurrency=1)]
        assert [r.outcome for r in first].count(Outcome.MAYBE_SENT) == 2
        async with await Journal.open(journal) as opened:
            settled = await opened.reconcile(easify)  # the zone unknown: still certain here
        assert [(s.key, s.state) for s in settled] == [("k0", "not_sent"), ("k1", "not_sent")]
        again = {r.key: r.outcome async for r in easify.sms.send_many(items, journal=journal)}
    sent, skipped = Outcome.SENT, Outcome.ALREADY_SENT
    assert again == {"k0": sent, "k1": sent, "k2": skipped, "k3": skipped}
    assert sorted(s.message for s in sandbox.sent_sms) == ["m0", "m1", "m2", "m3"]


async def test_a_row_settled_sent_without_an_id_keeps_a_same_text_row_unsettled(
    tmp_path: Path,
) -> None:
    """Row a's SMS went out but its reply was lost; a is resolved sent by hand, without
    its SMS id. Row b, of the same text to the same number, timed out before the server
    saw it. The report holds one matching SMS, a's, which cannot be told from b's: b is
    left maybe sent (settling it sent would lose its message), with the reason."""
    sandbox = Sandbox(faults=Faults())
    journal = tmp_path / "run.db"
    items = [SmsMessage(DEMO_FROM_NUMBER, "+13151350000", message="Ready", key=k) for k in "ab"]
    sandbox.faults.queue("drop", 1)  # a processed, its reply lost
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as easify:
        [first] = [r async for r in easify.sms.send_many(items[:1], journal=journal)]
        assert first.outcome is Outcome.MAYBE_SENT
        async with await Journal.open(journal) as opened:
            await opened.resolve("a", sent=True)  # by hand, the id not looked up
        # b: its request times out before the server sees it (certainly absent).
        losing = LosingRequests(sandbox.transport(), lose=1)
        async with AsyncEasify(
            DEMO_TOKEN, transport=losing, rate_limits=None, max_retries=0
        ) as other:
            [second] = [r async for r in other.sms.send_many(items[1:], journal=journal)]
        assert second.outcome is Outcome.MAYBE_SENT
        async with await Journal.open(journal) as opened:
            [settlement] = await opened.reconcile(easify, server_timezone="UTC")
    assert (settlement.key, settlement.state) == ("b", "maybe_sent")
    assert "settled sent without an id" in settlement.reason
    assert [s.message for s in sandbox.sent_sms] == ["Ready"]
