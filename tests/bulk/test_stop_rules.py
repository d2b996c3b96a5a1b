"""Stop rules: a refusal no item can pass, or max_failures in a row, stops the run; requests
out finish and are journaled with what they got; items not sent stay unsent and resumable."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import httpx
import pytest

from easify_async import (
    AsyncEasify,
    AuthenticationError,
    InsufficientCreditsError,
    InvalidGroupError,
    InvalidRecipientError,
    InvalidSenderError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimits,
)
from easify_async._endpoints._common import MAX_CONCURRENCY
from easify_async.bulk import BulkResult, BulkStoppedError, NewContact, Outcome, SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Faults, Sandbox
from tests.fakes import Counting, reply

pytestmark = pytest.mark.anyio

PERIOD = 0.3


def sms(n: int, sender: str = DEMO_FROM_NUMBER) -> SmsMessage:
    return SmsMessage(
        from_number=sender,
        to_number=f"+1315135{n:04d}",
        message=f"item {n}",
        key=f"k{n}",
        force_send=True,
    )


async def run_until_stopped(
    results: AsyncIterator[BulkResult],
) -> tuple[list[BulkResult], BulkStoppedError]:
    got: list[BulkResult] = []
    with pytest.raises(BulkStoppedError) as stopped:
        await drain(results, got)
    return got, stopped.value


async def drain(results: AsyncIterator[BulkResult], into: list[BulkResult]) -> None:
    async for result in results:
        into.append(result)


def journal_states(path: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT key, state FROM items").fetchall())


async def test_a_wrong_token_stops_the_run_and_leaves_nothing_maybe_sent(tmp_path: Path) -> None:
    """401: requests out finish as NOT_SENT, none is journaled in flight; a rerun sends all."""
    sandbox = Sandbox(period=PERIOD, faults=Faults(latency=(0.02, 0.06), seed=4))
    journal = tmp_path / "run.db"
    limits = RateLimits().scaled(PERIOD / 60)
    items = [sms(n) for n in range(40)]
    async with AsyncEasify("wrong", transport=sandbox.transport(), rate_limits=limits) as bad:
        got, stopped = await run_until_stopped(bad.sms.send_many(items, journal=journal))
    assert isinstance(stopped.error, AuthenticationError)
    assert stopped.failures is None
    assert 1 <= len(got) <= 15  # the first window at most: the rest never went out
    assert {r.outcome for r in got} == {Outcome.NOT_SENT}
    assert set(journal_states(journal).values()) == {"not_sent"}
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as ok:
        again = [r async for r in ok.sms.send_many(items, journal=journal)]
    assert {r.outcome for r in again} == {Outcome.SENT}
    assert sorted(s.message for s in sandbox.sent_sms) == sorted(f"item {n}" for n in range(40))


class SlowAfterFirst:
    """Refuses the first request at once with ``refusal``; answers the others after ``ready``."""

    def __init__(self, refusal: httpx.Response) -> None:
        self.refusal = refusal
        self.ready = anyio.Event()
        self.arrived: list[str] = []
        self.tasks: list[int] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        to = json.loads(request.content)["to_number"]
        self.arrived.append(to)
        self.tasks.append(len(anyio.get_running_tasks()))
        if len(self.arrived) == 1:
            await anyio.sleep(0.05)  # the others are out by then
            return self.refusal
        await self.ready.wait()
        return reply()


@pytest.mark.parametrize(
    ("status", "message", "error_type"),
    [
        (401, "Unauthenticated", AuthenticationError),
        (402, "You need to recharge your account to proceed", PaymentRequiredError),
        (403, "Access denied. Your current plan does not allow access", PermissionDeniedError),
        (400, "You do not have enough credits to send this SMS", InsufficientCreditsError),
        (400, "Invalid Sender!", InvalidSenderError),
    ],
    ids=["401", "402", "403", "credits", "sender"],
)
async def test_requests_out_when_the_run_stops_finish_with_what_they_got(
    status: int, message: str, error_type: type[Exception]
) -> None:
    """The refusal stops the run; the three requests already out still end SENT."""
    server = SlowAfterFirst(reply(status, {"status": False, "message": message, "errors": []}))
    items = [sms(n) for n in range(10)]
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        run = easify.sms.send_many(items, concurrency=4)
        got: list[BulkResult] = []

        async def drain_then_answer() -> None:
            async for result in run:
                got.append(result)
                server.ready.set()  # after the refusal's result: the others answer now

        with pytest.raises(BulkStoppedError) as stopped:
            await drain_then_answer()
    assert isinstance(stopped.value.error, error_type)
    assert stopped.value.key == "k0"
    outcomes = {r.key: r.outcome for r in got}
    assert outcomes == {
        "k0": Outcome.NOT_SENT,
        "k1": Outcome.SENT,
        "k2": Outcome.SENT,
        "k3": Outcome.SENT,
    }
    assert len(server.arrived) == 4  # nothing started after the refusal


async def test_an_unowned_sender_stops_the_run_and_a_fixed_rerun_sends_every_row(
    tmp_path: Path,
) -> None:
    """60 rows from a number the token does not own: one window's requests, not 60; then fixed."""
    sandbox = Sandbox(period=PERIOD)
    counting = Counting(sandbox.transport())
    journal = tmp_path / "run.db"
    limits = RateLimits().scaled(PERIOD / 60)
    async with AsyncEasify(DEMO_TOKEN, transport=counting, rate_limits=limits) as easify:
        got, stopped = await run_until_stopped(
            easify.sms.send_many([sms(n, "9999999999") for n in range(60)], journal=journal)
        )
        assert isinstance(stopped.error, InvalidSenderError)
        assert len(counting.requests) <= 15
        assert {r.outcome for r in got} == {Outcome.NOT_SENT}
        # The sender is part of each row: rows never sent take the corrected input.
        again = [
            r async for r in easify.sms.send_many([sms(n) for n in range(60)], journal=journal)
        ]
    assert {r.outcome for r in again} == {Outcome.SENT}
    assert len(sandbox.sent_sms) == 60


async def test_an_unknown_group_stops_an_import() -> None:
    """contacts.create_many into a group that does not exist: stopped, nothing created."""
    sandbox = Sandbox(period=PERIOD)
    items = [
        NewContact(group_id=999, first_name=f"n{n}", phone_number=f"+1315135{n:04d}")
        for n in range(30)
    ]
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as e:
        got, stopped = await run_until_stopped(e.contacts.create_many(items, concurrency=1))
    assert isinstance(stopped.error, InvalidGroupError)
    assert [r.outcome for r in got] == [Outcome.NOT_SENT]
    assert sandbox.contacts.contacts_of(DEMO_TOKEN) == []


class Refusing:
    """Refuses the recipients in ``refused`` as invalid; accepts the others."""

    def __init__(self, refused: set[int]) -> None:
        self.refused = {f"315135{n:04d}" for n in refused}
        self.arrived = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.arrived += 1
        if json.loads(request.content)["to_number"] in self.refused:
            return reply(400, {"status": False, "message": "InvalidRecipient!", "errors": []})
        return reply()


async def test_max_failures_in_a_row_stops_the_run() -> None:
    """Three failures in a row stop it; a success in between resets the count."""
    server = Refusing({1, 2, 4, 5, 6, 7, 8})
    items = [sms(n) for n in range(20)]
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        got, stopped = await run_until_stopped(
            easify.sms.send_many(items, concurrency=1, max_failures=3)
        )
    assert [r.key for r in got] == ["k0", "k1", "k2", "k3", "k4", "k5", "k6"]
    assert stopped.failures == 3
    assert stopped.key == "k6"
    assert isinstance(stopped.error, InvalidRecipientError)
    assert server.arrived == 7
    assert "3 failures in a row" in str(stopped)


async def test_max_failures_must_be_positive() -> None:
    """max_failures=0 is an argument error, before anything is sent."""
    server = Refusing(set())
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        with pytest.raises(ValueError, match="max_failures"):
            easify.sms.send_many([sms(0)], max_failures=0)


async def test_never_more_tasks_than_items_whatever_the_concurrency() -> None:
    """The highest concurrency (1,000) for 3 items starts a handful of tasks, not 1,000."""
    server = SlowAfterFirst(reply())
    server.ready.set()
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        results = [
            r
            async for r in easify.sms.send_many(
                [sms(n) for n in range(3)], concurrency=MAX_CONCURRENCY
            )
        ]
    assert [r.outcome for r in results] == [Outcome.SENT] * 3
    assert max(server.tasks) < 20


async def test_rows_an_earlier_run_left_maybe_sent_are_no_failures_of_this_run(
    tmp_path: Path,
) -> None:
    """Resumed, a journal's maybe-sent rows are reported but do not count for max_failures."""
    sandbox = Sandbox()
    journal = tmp_path / "run.db"
    items = [sms(n) for n in range(6)]
    sandbox.faults.queue("drop", 3)  # the first three replies are lost after the send
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None) as e:
        first = [r async for r in e.sms.send_many(items, journal=journal, concurrency=1)]
        assert [r.outcome for r in first].count(Outcome.MAYBE_SENT) == 3
        again = [
            r async for r in e.sms.send_many(items, journal=journal, concurrency=1, max_failures=2)
        ]
    assert [r.outcome for r in again].count(Outcome.MAYBE_SENT) == 3
    assert len(again) == 6
