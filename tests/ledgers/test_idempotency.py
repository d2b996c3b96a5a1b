"""Creating calls with an idempotency key, against the sandbox over a real socket: one
send per key, its outcome recorded and given back, other arguments refused, ambiguity
kept until settled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from easify_async import (
    APIConnectionError,
    ArgumentError,
    AsyncEasify,
    AuthenticationError,
    BlacklistedRecipientError,
    RateLimits,
    to_dict,
)
from easify_async.errors import (
    JournalError,
    KeyInProgressError,
    LedgerUnavailableError,
    UnknownOutcomeError,
)
from easify_async.ledgers import Ledger, SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Faults, Sandbox
from tests._served import served

from .conftest import STORES

pytestmark = pytest.mark.anyio

MakeLedger = Callable[..., Ledger]
PERIOD = 1.0
TO = "+13151350000"


@pytest.fixture
def sandbox() -> Sandbox:
    """A sandbox whose minute is a second."""
    return Sandbox(period=PERIOD)


@pytest.fixture
async def base_url(sandbox: Sandbox) -> AsyncIterator[str]:
    """The sandbox served by uvicorn on a loopback port."""
    async with served(sandbox) as url:
        yield url


def client(base_url: str, ledger: Ledger | None, **options: Any) -> AsyncEasify:
    limits = RateLimits().scaled(PERIOD / 60)
    return AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits, ledger=ledger, **options)


@STORES
async def test_a_second_call_with_the_key_returns_the_first_result_without_sending(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """The same key twice, from two clients on one ledger: one SMS, equal results."""
    ledger = make_ledger()
    async with client(base_url, ledger) as first, client(base_url, ledger) as second:
        sent = await first.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="o-1")
        again = await second.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="o-1")
        other = await second.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="o-2")
    assert again == sent
    assert other.sms_id != sent.sms_id
    assert [s.sms_id for s in sandbox.sent_sms] == [sent.sms_id, other.sms_id]
    entry = await ledger.entry("o-1")
    assert entry is not None
    assert entry.state == "completed"
    assert entry.result == to_dict(sent)


@STORES
async def test_a_key_kept_for_a_while_sends_again_once_forgotten(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """A ledger with ``keep``: once it has run out the key is forgotten, and the same
    call sends again (kept meanwhile: tests/ledgers/test_ledgers.py)."""
    ledger = make_ledger(keep=0.3)
    async with client(base_url, ledger) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        await anyio.sleep(0.6)
        anew = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert anew.sms_id != sent.sms_id
    assert [s.sms_id for s in sandbox.sent_sms] == [sent.sms_id, anew.sms_id]


@STORES
async def test_the_same_key_with_other_arguments_is_refused_before_any_request(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """Another text, recipient or call under a used key: ArgumentError, nothing sent."""
    ledger = make_ledger()
    async with client(base_url, ledger) as easify:
        await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        with pytest.raises(ArgumentError, match="other arguments") as caught:
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hello", idempotency_key="k")
        assert caught.value.argument == "idempotency_key"
        with pytest.raises(ArgumentError, match="other arguments"):
            await easify.sms.send(
                DEMO_FROM_NUMBER, "+13151350001", message="Hi", idempotency_key="k"
            )
    assert len(sandbox.sent_sms) == 1


@pytest.mark.parametrize(
    "key",
    [pytest.param("", id="empty"), pytest.param("x" * 256, id="long"), pytest.param(7, id="int")],
)
async def test_a_bad_key_or_a_key_without_a_ledger_is_an_argument_error(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str, key: Any
) -> None:
    """Before any request: a key that is not 1-255 characters of text; any key on a
    client without a ledger."""
    async with client(base_url, make_ledger()) as easify:
        with pytest.raises(ArgumentError, match="idempotency_key"):
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key=key)
    async with client(base_url, None) as easify:
        with pytest.raises(ArgumentError, match="needs a ledger"):
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert sandbox.sent_sms == []


@STORES
async def test_a_refusal_of_the_request_is_recorded_and_raised_again_without_a_request(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """A blacklisted recipient's refusal: the second call raises it again (same class,
    message, status) without asking the server."""
    sandbox.blacklist.add(TO)
    async with client(base_url, make_ledger()) as easify:
        with pytest.raises(BlacklistedRecipientError) as first:
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        sandbox.blacklist.discard(TO)  # the server would now send it
        with pytest.raises(BlacklistedRecipientError) as again:
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert (again.value.message, again.value.status_code) == (
        first.value.message,
        first.value.status_code,
    )
    assert not again.value.maybe_sent
    assert sandbox.sent_sms == []


@STORES
async def test_a_refusal_of_the_account_releases_the_key(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """A wrong token (401) says nothing of the request: once fixed, the key sends."""
    ledger = make_ledger()
    async with client(base_url, ledger) as easify:
        wrong = easify.with_options(api_token="1|wrong")
        with pytest.raises(AuthenticationError):
            await wrong.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        assert await ledger.entry("k") is None
        sent = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert [s.sms_id for s in sandbox.sent_sms] == [sent.sms_id]


@STORES
async def test_an_ambiguous_failure_is_never_resent_until_settled(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """A dropped connection after the server sent it: the next calls raise
    UnknownOutcomeError with the key; settled sent with its result, that result comes back;
    one SMS in all."""
    sandbox.faults = Faults()
    sandbox.faults.queue("drop")
    ledger = make_ledger()
    async with client(base_url, ledger) as easify:
        with pytest.raises(APIConnectionError) as dropped:
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        assert dropped.value.maybe_sent
        for _ in range(2):
            with pytest.raises(UnknownOutcomeError) as unknown:
                await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
            assert unknown.value.key == "k"
            assert unknown.value.maybe_sent
        [record] = sandbox.sent_sms
        await ledger.settle("k", sent=True, result={"sms_id": record.sms_id, "message": ""})
        settled = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        assert settled.sms_id == record.sms_id
        await ledger.settle("k", sent=False)  # say it was not sent after all: sent again
        await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert len(sandbox.sent_sms) == 2


@STORES
async def test_a_live_claimer_is_waited_for(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """While another caller holds the key: past the ledger's wait, KeyInProgressError
    naming it; within it, that caller's result once recorded. A waiter sends nothing."""
    ledger = make_ledger(lease=60, wait=60)
    impatient = make_ledger(lease=60, wait=0.05)
    async with client(base_url, ledger) as easify, client(base_url, impatient) as hurried:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="x")
        done = await ledger.entry("x")
        assert done is not None
        # "w" held by a live caller of the same request (a fingerprint is the request's).
        await ledger.claim("w", done.fingerprint, claimer="other")
        with pytest.raises(KeyInProgressError) as caught:
            await hurried.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="w")
        assert (caught.value.key, caught.value.claimer) == ("w", "other")
        assert caught.value.maybe_sent
        results: list[Any] = []

        async def wait_for_it() -> None:
            results.append(
                await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="w")
            )

        async with anyio.create_task_group() as tg:
            tg.start_soon(wait_for_it)
            await anyio.sleep(0.05)  # most likely waiting by now; either way it gets the result
            assert await ledger.record("w", claimer="other", result=done.result)
    assert results == [sent]
    assert len(sandbox.sent_sms) == 1


CSV = b"phone\n+13151350000\n+13151350001\n"

CREATING_CALLS: list[Any] = [
    pytest.param(
        lambda e, key, group: e.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key=key),
        id="sms.send",
    ),
    pytest.param(
        lambda e, key, group: e.email.send(
            DEMO_SENDER, "a@x.example", "Hi", message="Hello", idempotency_key=key
        ),
        id="email.send",
    ),
    pytest.param(
        lambda e, key, group: e.v3.email.send(
            DEMO_SENDER, ["a@x.example", "b@x.example"], "Hi", message="Hello", idempotency_key=key
        ),
        id="v3.email.send",
    ),
    pytest.param(
        lambda e, key, group: e.campaigns.send(
            "Nov", ["+13152930000"], [7], CSV, idempotency_key=key
        ),
        id="campaigns.send",
    ),
    pytest.param(
        lambda e, key, group: e.contacts.create(
            group_id=group, first_name="Ann", phone_number=TO, idempotency_key=key
        ),
        id="contacts.create",
    ),
    pytest.param(
        lambda e, key, group: e.contact_groups.create(name="VIP", idempotency_key=key),
        id="contact_groups.create",
    ),
]


@pytest.mark.parametrize("call", CREATING_CALLS)
async def test_every_creating_call_with_a_key_is_made_once(
    make_ledger: MakeLedger, base_url: str, call: Callable[[AsyncEasify, str, int], Any]
) -> None:
    """Each of the six creating calls, twice with one key: one request, equal results;
    without a ledger, the key is an ArgumentError before any request."""
    async with client(base_url, make_ledger()) as easify:
        group = (await easify.contact_groups.create(name="Base")).id
        async with easify.raw_responses() as raw:
            first = await call(easify, "k", group)
            again = await call(easify, "k", group)
        assert again == first
        assert len(raw.all) == 1
        async with client(base_url, None) as plain, plain.raw_responses() as raw:
            with pytest.raises(ArgumentError, match="needs a ledger"):
                await call(plain, "k", group)
        assert raw.all == ()


async def test_with_options_keeps_the_ledger_or_takes_another(
    make_ledger: MakeLedger, base_url: str, tmp_path: Path
) -> None:
    """A with_options client keeps its parent's ledger unless given one of its own."""
    parent_ledger = make_ledger()
    other = SqliteLedger(tmp_path / "other.db")
    async with client(base_url, parent_ledger) as easify:
        kept = easify.with_options(timeout=5.0)
        await kept.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="kept")
        moved = easify.with_options(ledger=other)
        await moved.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="moved")
    assert await parent_ledger.entry("kept") is not None
    assert await parent_ledger.entry("moved") is None
    assert await other.entry("moved") is not None
    await other.aclose()


class RecordFails(SqliteLedger):
    """A ledger whose store fails when an outcome is recorded (after the send)."""

    async def record(self, key: str, **outcome: Any) -> bool:
        raise LedgerUnavailableError("disk gone", key=key)


async def test_a_send_whose_outcome_cannot_be_recorded_returns_and_stays_ambiguous(
    sandbox: Sandbox, base_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Sent, then the ledger fails: the call still returns its result (failing it would
    invite a resend) and warns; the key's claim runs out and reads ambiguous, so the next
    call raises UnknownOutcomeError and sends nothing. A result settled by hand that is
    not the call's is a JournalError, not a TypeError."""
    failing = RecordFails(tmp_path / "l.db", lease=0.05)
    async with client(base_url, failing) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert "could not record the result of key 'k'" in caplog.text
    ledger = SqliteLedger(tmp_path / "l.db", lease=0.05)
    with anyio.fail_after(10):
        while (entry := await ledger.entry("k")) is not None and entry.claimer_alive:
            await anyio.sleep(0.01)
    async with client(base_url, ledger) as easify:
        with pytest.raises(UnknownOutcomeError):
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        await ledger.settle("k", sent=True, result={"not": "an SmsSent"})
        with pytest.raises(JournalError, match="does not fit SmsSent"):
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
    assert [s.sms_id for s in sandbox.sent_sms] == [sent.sms_id]
    await ledger.aclose()
    await failing.aclose()
    await failing.aclose()


async def test_a_keyed_call_with_a_bad_option_releases_the_key_and_hides_the_value(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """An Authorization extra header on a keyed call: ArgumentError, nothing sent, the key
    released; in a traceback with locals only the call's own frame holds the value."""
    import traceback

    ledger = make_ledger()
    async with client(base_url, ledger) as easify:
        with pytest.raises(ArgumentError, match="may not set") as refused:
            await easify.sms.send(
                DEMO_FROM_NUMBER,
                TO,
                message="Hi",
                idempotency_key="k",
                extra_headers={"Authorization": "Bearer other-secret-9"},
            )
    summary = traceback.TracebackException.from_exception(refused.value, capture_locals=True)
    shown = [
        (Path(frame.filename).name, frame.name)
        for frame in summary.stack
        if "other-secret-9" in repr(frame.locals)
    ]
    assert shown == [("sms.py", "send")]  # the call's own **options, nothing below it
    assert await ledger.entry("k") is None
    assert sandbox.sent_sms == []
