"""send_many outcomes under trouble: 429 waits, ambiguous replies, odd items, interrupts."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from easify_async import APIError, AsyncEasify
from easify_async.bulk import (
    BulkProgress,
    DuplicateKeyError,
    EmailMessage,
    Outcome,
    SmsMessage,
    UnknownOutcomeError,
)
from tests.bulk._items import national, sms
from tests.fakes import reply

pytestmark = pytest.mark.anyio

Answer = httpx.Response | Exception | Callable[[], Awaitable[httpx.Response]]


class ScriptedServer:
    """Answers each recipient from its own script (then with success); counts what it processed."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[Answer]] = {}
        self.processed: list[str] = []
        self.arrived: dict[str, anyio.Event] = {}

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    @staticmethod
    def _success(body: dict[str, Any]) -> httpx.Response:
        data = {"sms_id": "1"} if "to_number" in body else {"email_id": "e1"}
        return reply(200, {"status": True, "message": "ok", "data": data})

    def arrival(self, to: str) -> anyio.Event:
        return self.arrived.setdefault(to, anyio.Event())

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        to = body.get("to_number") or body.get("receiver")
        self.arrival(to).set()
        script = self.scripts.get(to, [])
        answer: Answer = script.pop(0) if script else self._success(body)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            answer = await answer()
        if answer.status_code != 429:
            self.processed.append(to)
        return answer


@pytest.fixture
def server() -> ScriptedServer:
    return ScriptedServer()


@pytest.fixture
async def easify(server: ScriptedServer) -> AsyncIterator[AsyncEasify]:
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as client:
        yield client


@contextlib.contextmanager
def retry_waits() -> Iterator[anyio.Event]:
    """An event set when the retry transport starts waiting before a retry."""
    started = anyio.Event()

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "retry" in record.getMessage():
                started.set()

    logger = logging.getLogger("easify_async")
    handler, level = Handler(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield started
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_an_item_stopped_while_it_waits_out_a_429_is_sent_by_the_next_run(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path
) -> None:
    """A 429 puts the item back to not sent before the retry's wait: a rerun sends it."""
    journal = tmp_path / "run.db"
    refusal = reply(429, {"message": "Too Many Attempts."}, **{"Retry-After": "30"})
    server.scripts[national(0)] = [refusal]
    with retry_waits() as k0_waits:

        async def after_k0_waits() -> httpx.Response:
            await k0_waits.wait()
            return reply()

        server.scripts[national(1)] = [after_k0_waits]
        async with contextlib.aclosing(
            easify.sms.send_many([sms(0), sms(1)], journal=journal, concurrency=2)
        ) as run:
            async for result in run:
                assert result.key == "k1"
                break  # k0 is waiting out its 429: stopped there, as by a crash
    rerun = {r.key: r async for r in easify.sms.send_many([sms(0), sms(1)], journal=journal)}
    assert rerun["k0"].outcome is Outcome.SENT
    assert rerun["k1"].outcome is Outcome.ALREADY_SENT
    assert server.processed == [national(1), national(0)]


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(reply(500, {"message": "Server Error"}), id="5xx"),
        pytest.param(reply(200, {"ok": True}), id="undocumented-2xx"),
    ],
)
async def test_a_reply_the_server_may_have_acted_on_is_maybe_sent_now_and_on_the_rerun(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path, answer: httpx.Response
) -> None:
    """An APIError with maybe_sent is MAYBE_SENT, journaled so: the rerun does not resend it."""
    journal = tmp_path / "run.db"
    server.scripts[national(1)] = [answer]
    first = {r.key: r async for r in easify.sms.send_many([sms(0), sms(1)], journal=journal)}
    assert first["k1"].outcome is Outcome.MAYBE_SENT
    assert isinstance(first["k1"].error, APIError)
    assert first["k1"].error.maybe_sent
    second = {r.key: r async for r in easify.sms.send_many([sms(0), sms(1)], journal=journal)}
    assert second["k1"].outcome is Outcome.MAYBE_SENT
    error = second["k1"].error
    assert isinstance(error, UnknownOutcomeError)
    assert error.maybe_sent
    assert "an earlier run got APIError" in str(error) or "ServerError" in str(error)
    assert server.processed.count(national(1)) == 1


@pytest.mark.parametrize("stop", ["break", "cancel"])
async def test_an_item_cut_off_mid_request_is_counted_in_flight_and_explained_on_resume(
    server: ScriptedServer, tmp_path: Path, stop: str
) -> None:
    """On an interrupt the last progress counts in_flight; the rerun says 'cut off mid-request'."""
    journal = tmp_path / "run.db"

    async def after_k1_arrives() -> httpx.Response:
        await server.arrival(national(1)).wait()
        return reply()

    async def never() -> httpx.Response:
        await anyio.sleep_forever()
        raise AssertionError

    server.scripts[national(0)] = [after_k1_arrives]
    server.scripts[national(1)] = [never]
    seen: list[BulkProgress] = []
    async with AsyncEasify("t", transport=server.transport(), rate_limits=None) as easify:
        run = easify.sms.send_many(
            [sms(0), sms(1)], journal=journal, concurrency=2, on_progress=seen.append
        )
        with anyio.CancelScope() as scope:  # as Ctrl-C cancels the CLI's run
            async with contextlib.aclosing(run):
                async for _ in run:
                    if stop == "break":
                        break
                    scope.cancel()
        assert (seen[-1].sent, seen[-1].in_flight, seen[-1].waiting) == (1, 1, 0)
        rerun = {r.key: r async for r in easify.sms.send_many([sms(0), sms(1)], journal=journal)}
    assert rerun["k1"].outcome is Outcome.MAYBE_SENT
    assert isinstance(rerun["k1"].error, UnknownOutcomeError)
    assert rerun["k1"].error.maybe_sent
    assert "cut off mid-request by an earlier run" in str(rerun["k1"].error)
    assert "connection" not in str(rerun["k1"].error)
    assert server.processed == [national(0)]


@pytest.mark.parametrize("journaled", [False, True], ids=["no-journal", "journal"])
async def test_a_repeated_key_is_that_items_failure_journal_or_not(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path, journaled: bool
) -> None:
    """However far apart, a key's second item fails with DuplicateKeyError and is not sent."""
    journal = tmp_path / "run.db" if journaled else None
    items = [sms(0), sms(1), sms(0, message="other"), sms(1)]
    results = [r async for r in easify.sms.send_many(items, journal=journal, concurrency=1)]
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT] + [Outcome.FAILED] * 2
    assert all(isinstance(r.error, DuplicateKeyError) for r in results[2:])
    assert results[2].item == items[2]
    assert sorted(server.processed) == [national(0), national(1)]


async def test_a_repeated_key_of_a_skipped_item_is_still_a_duplicate(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path
) -> None:
    """On a rerun, the first of a key is ALREADY_SENT and its repeat a DuplicateKeyError."""
    journal = tmp_path / "run.db"
    _ = [r async for r in easify.sms.send_many([sms(0)], journal=journal)]
    rerun = [
        r async for r in easify.sms.send_many([sms(0), sms(0)], journal=journal, concurrency=1)
    ]
    outcomes = {r.outcome: r.error for r in rerun}
    assert sorted(outcomes) == [Outcome.ALREADY_SENT, Outcome.FAILED]
    assert isinstance(outcomes[Outcome.FAILED], DuplicateKeyError)
    assert server.processed == [national(0)]


async def test_an_unexpected_error_fails_that_item_only(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path
) -> None:
    """An odd item (a dict, a bad key) or an exception out of the send fails that item alone."""

    async def rows() -> AsyncIterator[Any]:
        yield sms(0)
        yield {"to_number": "+13151350001"}  # not an SmsMessage
        yield sms(2, key=("a", "tuple"))
        yield sms(3)
        yield sms(4)

    server.scripts[national(3)] = [RuntimeError("a bug after the request went out")]
    results = {r.key: r async for r in easify.sms.send_many(rows(), journal=tmp_path / "run.db")}
    assert results["k0"].outcome is Outcome.SENT
    assert results["k4"].outcome is Outcome.SENT
    assert results["1"].outcome is Outcome.NOT_SENT  # certainly not sent: a rerun may try it
    assert results["1"].error is not None
    assert results["('a', 'tuple')"].outcome is Outcome.FAILED
    assert results["k3"].outcome is Outcome.MAYBE_SENT  # its request was out
    assert results["k3"].error is not None
    assert sorted(server.processed) == [national(0), national(4)]


async def test_an_email_whose_data_cannot_be_fingerprinted_fails_alone(
    easify: AsyncEasify, server: ScriptedServer, tmp_path: Path
) -> None:
    """additional_data that refers to itself: that email is NOT_SENT, the others go out."""
    loop: dict[str, Any] = {}
    loop["self"] = loop
    items = [
        EmailMessage(
            sender="qa@example.com",
            receiver=f"u{n}@example.com",
            subject="S",
            message="m",
            additional_data=loop if n == 1 else None,
            key=str(n),
        )
        for n in range(3)
    ]
    results = {r.key: r async for r in easify.email.send_many(items, journal=tmp_path / "j.db")}
    assert {k: r.outcome for k, r in results.items()} == {
        "0": Outcome.SENT,
        "1": Outcome.NOT_SENT,
        "2": Outcome.SENT,
    }
    assert sorted(server.processed) == ["u0@example.com", "u2@example.com"]


async def test_an_input_that_raises_ends_the_run_with_its_own_error(
    easify: AsyncEasify, server: ScriptedServer
) -> None:
    """The items taken are finished, then the input's own exception ends the run (no group)."""

    def rows() -> Iterator[SmsMessage]:
        yield sms(0)
        yield sms(1)
        raise LookupError("row 3 is unreadable")

    keys: list[str] = []

    async def consume() -> None:
        async for result in easify.sms.send_many(rows()):
            keys.append(result.key)

    with pytest.raises(LookupError, match="row 3"):
        await consume()
    assert sorted(keys) == ["k0", "k1"]
    assert sorted(server.processed) == [national(0), national(1)]
