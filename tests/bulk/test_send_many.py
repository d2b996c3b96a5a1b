"""send_many: full rate, one result per item, constant memory, journaled resume."""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from easify_async import (
    APIConnectionError,
    AsyncEasify,
    InvalidPhoneNumberError,
    InvalidRecipientError,
    RateLimit,
    RateLimits,
)
from easify_async.bulk import (
    BulkProgress,
    DuplicateKeyError,
    EmailMessage,
    KeyConflictError,
    Outcome,
    RecordedFailureError,
    SmsMessage,
    describe_eta,
)
from tests._clock import virtual
from tests.bulk._items import national, sms
from tests.fakes import LaravelWindowServer, reply

pytestmark = pytest.mark.anyio

VIRTUAL = virtual()


class NumberingServer:
    """Answers each send with a fresh sms_id and remembers who got a message."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.refuse: set[str] = set()
        self.drop: set[str] = set()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.read())
        to = body.get("to_number") or body.get("receiver")
        if to in self.drop:
            self.received.append(to)
            raise httpx.RemoteProtocolError("server closed the connection after processing")
        if to in self.refuse:
            return reply(400, {"status": False, "message": "InvalidRecipient!", "errors": []})
        self.received.append(to)
        key = "sms_id" if "to_number" in body else "email_id"
        return reply(200, {"status": True, "message": "ok", "data": {key: str(len(self.received))}})


@pytest.fixture
def server() -> NumberingServer:
    return NumberingServer()


@pytest.fixture
async def easify(server: NumberingServer) -> AsyncIterator[AsyncEasify]:
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as client:
        yield client


async def test_every_item_gets_one_result_and_bad_rows_do_not_stop_the_rest(
    easify: AsyncEasify, server: NumberingServer
) -> None:
    """Invalid items fail before any request; refused ones fail typed; the rest are sent."""
    server.refuse.add(national(3))
    items = [sms(n) for n in range(6)] + [sms(6, to_number="12"), sms(7, message=None)]
    results = {r.key: r async for r in easify.sms.send_many(items)}
    assert sorted(results) == [f"k{n}" for n in range(8)]
    assert {k for k, r in results.items() if r.ok} == {"k0", "k1", "k2", "k4", "k5"}
    assert isinstance(results["k3"].error, InvalidRecipientError)
    assert isinstance(results["k6"].error, InvalidPhoneNumberError)
    assert results["k7"].outcome is Outcome.FAILED
    assert results["k0"].item == items[0]
    assert sorted(server.received) == sorted(national(n) for n in (0, 1, 2, 4, 5))
    assert len({r.sms_id for r in results.values() if r.ok}) == 5


async def test_async_iterables_and_keyless_items(
    easify: AsyncEasify, server: NumberingServer
) -> None:
    """An async generator streams in; an item without key is keyed by its position."""

    async def rows() -> AsyncIterator[SmsMessage]:
        for n in range(5):
            yield sms(n, key=None)

    keys = sorted([r.key async for r in easify.sms.send_many(rows())])
    assert keys == ["0", "1", "2", "3", "4"]
    assert len(server.received) == 5


async def test_email_send_many(easify: AsyncEasify, server: NumberingServer) -> None:
    """Emails go through the same engine and come back with their email_id."""
    items = [
        EmailMessage(
            sender="qa@example.com",
            receiver=f"u{n}@example.com",
            subject="S",
            message="m",
            key=str(n),
        )
        for n in range(3)
    ]
    results = [r async for r in easify.email.send_many(items)]
    assert sorted(r.email_id or "" for r in results) == ["1", "2", "3"]
    assert all(r.ok for r in results)


async def test_input_is_read_only_as_far_as_the_workers_can_use(easify: AsyncEasify) -> None:
    """An endless input is consumed lazily: read-ahead stays within concurrency."""
    produced = itertools.count()

    def endless() -> Iterator[SmsMessage]:
        for n in produced:
            yield sms(n % 10000, key=str(n))

    async with contextlib.aclosing(easify.sms.send_many(endless(), concurrency=4)) as results:  # type: ignore[type-var]
        taken = 0
        async for _ in results:
            taken += 1
            if taken == 50:
                break
    assert next(produced) <= 50 + 4 + 2


async def test_progress_is_reported_after_each_result(
    easify: AsyncEasify, server: NumberingServer
) -> None:
    """on_progress sees the counts grow to the final tally."""
    server.refuse.add(national(1))
    seen: list[BulkProgress] = []
    items = [sms(n) for n in range(4)]
    _ = [r async for r in easify.sms.send_many(items, on_progress=seen.append)]
    assert [p.done for p in seen] == [1, 2, 3, 4]
    assert (seen[-1].total, seen[-1].sent, seen[-1].failed) == (4, 3, 1)


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_bulk_runs_at_the_full_rate_without_429s() -> None:
    """100 items through a Laravel window: zero 429s and every window full."""
    window = LaravelWindowServer(limit=15, period=60.0, latency=lambda: 0.2)
    async with AsyncEasify("t", transport=window.transport()) as easify:
        results = [r async for r in easify.sms.send_many([sms(n) for n in range(100)])]
    assert all(r.ok for r in results)
    assert window.rejected == 0
    assert window.windows == [15] * 6 + [10]


def journal_rows(path: Path) -> dict[str, tuple[str, str | None]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {k: (s, r) for k, s, r in db.execute("SELECT key, state, remote_id FROM items")}


async def test_a_rerun_with_the_journal_sends_nothing_twice(
    easify: AsyncEasify, server: NumberingServer, tmp_path: Path
) -> None:
    """Sent and failed items are skipped on the second run; their ids and errors come back."""
    journal = tmp_path / "run.db"
    server.refuse.add(national(2))
    items = [sms(n) for n in range(4)]
    first = {r.key: r async for r in easify.sms.send_many(items, journal=journal)}
    second = {r.key: r async for r in easify.sms.send_many(items, journal=journal)}
    assert len(server.received) == 3
    assert {k: r.outcome for k, r in second.items()} == {
        "k0": Outcome.ALREADY_SENT,
        "k1": Outcome.ALREADY_SENT,
        "k2": Outcome.ALREADY_FAILED,
        "k3": Outcome.ALREADY_SENT,
    }
    assert second["k0"].sms_id == first["k0"].sms_id
    assert isinstance(second["k2"].error, RecordedFailureError)
    assert "InvalidRecipient" in str(second["k2"].error)
    assert journal_rows(journal)["k0"] == ("sent", first["k0"].sms_id)


async def test_an_ambiguous_failure_is_reported_and_not_resent(
    easify: AsyncEasify, server: NumberingServer, tmp_path: Path
) -> None:
    """A dropped connection after processing: MAYBE_SENT now, and still on the rerun."""
    journal = tmp_path / "run.db"
    server.drop.add(national(1))
    items = [sms(n) for n in range(3)]
    first = {r.key: r async for r in easify.sms.send_many(items, journal=journal)}
    assert first["k1"].outcome is Outcome.MAYBE_SENT
    assert isinstance(first["k1"].error, APIConnectionError)
    server.drop.clear()
    second = {r.key: r async for r in easify.sms.send_many(items, journal=journal)}
    assert second["k1"].outcome is Outcome.MAYBE_SENT
    assert server.received.count(national(1)) == 1
    third = {
        r.key: r async for r in easify.sms.send_many(items, journal=journal, resend_ambiguous=True)
    }
    assert third["k1"].outcome is Outcome.SENT
    assert server.received.count(national(1)) == 2


async def test_items_left_in_flight_by_a_crash_are_reported_maybe_sent(
    easify: AsyncEasify, server: NumberingServer, tmp_path: Path
) -> None:
    """A journal row stuck in_flight (the process died mid-request) is not resent."""
    from easify_async._bulk._journal import Journal
    from easify_async._bulk._models import fingerprint

    journal = tmp_path / "run.db"
    crashed = Journal(journal)
    await crashed.write("k0", fingerprint=fingerprint(sms(0)), state="in_flight", run_id="dead")
    await crashed.write("k1", fingerprint=fingerprint(sms(1)), state="not_sent", run_id="dead")
    crashed.close()
    results = {r.key: r async for r in easify.sms.send_many([sms(0), sms(1)], journal=journal)}
    assert results["k0"].outcome is Outcome.MAYBE_SENT
    assert results["k1"].outcome is Outcome.SENT  # certainly not sent before: sent now
    assert server.received == [national(1)]


async def test_changed_input_under_a_known_key_is_an_error(
    easify: AsyncEasify, server: NumberingServer, tmp_path: Path
) -> None:
    """The same key with another message fails with KeyConflictError and sends nothing."""
    journal = tmp_path / "run.db"
    _ = [r async for r in easify.sms.send_many([sms(0)], journal=journal)]
    [result] = [r async for r in easify.sms.send_many([sms(0, message="changed")], journal=journal)]
    assert isinstance(result.error, KeyConflictError)
    assert len(server.received) == 1


async def test_a_key_twice_in_one_run_is_sent_once(
    easify: AsyncEasify, server: NumberingServer, tmp_path: Path
) -> None:
    """A duplicate key in the input fails with DuplicateKeyError; the message goes once."""
    results = [
        r async for r in easify.sms.send_many([sms(0), sms(0), sms(1)], journal=tmp_path / "j.db")
    ]
    errors = [r.error for r in results if r.error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], DuplicateKeyError)
    assert sorted(server.received) == [national(0), national(1)]


def test_eta_for_people() -> None:
    """The ETA line counts windows of the limit."""
    assert (
        describe_eta(1000, RateLimit(15, 60.0), noun="SMS")
        == "1,000 SMS at 15/min: about 67 minutes"
    )
    assert (
        describe_eta(15, RateLimit(15, 60.0), noun="emails")
        == "15 emails at 15/min: about 0 seconds"
    )
    assert RateLimits().sms_send == RateLimit(15, 60.0)


async def test_concurrency_must_be_positive(easify: AsyncEasify) -> None:
    """A zero concurrency is an ArgumentError at the call, before anything runs."""
    from easify_async import ArgumentError

    with pytest.raises(ArgumentError, match="concurrency"):
        easify.sms.send_many([], concurrency=0)


async def test_items_cut_off_while_waiting_for_a_slot_are_sent_by_the_next_run(
    server: NumberingServer, tmp_path: Path
) -> None:
    """Only an item whose request was about to go out is journaled in_flight."""
    journal = tmp_path / "run.db"
    one = RateLimit(1, 3600.0)  # the second slot never comes within the test
    limits = RateLimits(sms_send=one, email_send=one, sms_status=one)
    items = [sms(n) for n in range(3)]
    async with AsyncEasify("t", transport=server.transport(), rate_limits=limits) as easify:
        async with contextlib.aclosing(
            easify.sms.send_many(items, journal=journal, concurrency=3)
        ) as run:
            async for result in run:
                assert result.ok
                break  # the two others are still waiting for the only slot
        assert journal_rows(journal) == {result.key: ("sent", result.sms_id)}
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        rerun = {r.key: r.outcome async for r in easify.sms.send_many(items, journal=journal)}
    assert sorted(rerun.values()) == sorted([Outcome.ALREADY_SENT, Outcome.SENT, Outcome.SENT])
    assert sorted(server.received) == sorted(national(n) for n in range(3))
