"""Settling a ledger's ambiguous keys from what the API recorded, against the sandbox over
a real socket, on each store: found -> sent (its result given back without a request),
certainly absent -> not sent (the next call sends once), an email -> left, reported."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from easify_async import APIConnectionError, AsyncEasify, RateLimits
from easify_async._bulk._models import SmsMessage
from easify_async._endpoints.sms import encode_sms_send
from easify_async._idempotency import fingerprint, lookup_item
from easify_async._routes import SMS_SEND
from easify_async.errors import UnknownOutcomeError
from easify_async.ledgers import Ledger, reconcile
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Faults, Sandbox
from tests._served import served
from tests.ledgers.test_ledgers import claimer_gone

from .conftest import STORES

pytestmark = pytest.mark.anyio

MakeLedger = Callable[..., Ledger]
PERIOD = 1.0
TO = "+13151350000"


@pytest.fixture
def sandbox() -> Sandbox:
    """A sandbox whose minute is a second, each request's fault queued by the test."""
    return Sandbox(period=PERIOD, faults=Faults())


@pytest.fixture
async def base_url(sandbox: Sandbox) -> AsyncIterator[str]:
    """The sandbox served by uvicorn on a loopback port."""
    async with served(sandbox) as url:
        yield url


def client(base_url: str, ledger: Ledger) -> AsyncEasify:
    limits = RateLimits().scaled(PERIOD / 60)
    return AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits, ledger=ledger)


@STORES
async def test_a_lost_reply_is_settled_sent_and_its_result_given_back_without_a_request(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """The sandbox sent the SMS, its reply was dropped: the reconcile finds it in the
    report and completes the key with its id; the next call returns it, sends nothing."""
    ledger = make_ledger()
    sandbox.faults.queue("drop")
    async with client(base_url, ledger) as easify:
        with pytest.raises(APIConnectionError):
            await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        [record] = sandbox.sent_sms
        settled = await reconcile(ledger, easify, server_timezone="UTC")
        assert len(sandbox.sent_sms) == 1  # reads only
        [settlement] = settled
        assert (settlement.key, settlement.state) == ("k", "sent")
        assert settlement.remote_id == record.sms_id
        entry = await ledger.entry("k")
        assert entry is not None
        assert (entry.state, entry.ambiguous) == ("completed", False)
        assert entry.note is not None
        assert entry.note.startswith("reconciled: found SMS to +13151350000")
        again = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Hi", idempotency_key="k")
        assert again.sms_id == record.sms_id
        assert await ledger.ambiguous() == []
    assert len(sandbox.sent_sms) == 1


@STORES
async def test_a_request_that_never_reached_the_server_is_settled_not_sent_then_sent_once(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """A claimer that died before its request went out (its claim made by hand, as
    ``sms.send`` makes it): absent from the report, settled not sent; the next call
    with the key sends once. Another SMS to the same recipient does not count."""
    ledger = make_ledger(lease=1)
    item = SmsMessage(DEMO_FROM_NUMBER, TO, message="Your code is 7")
    encoded = encode_sms_send(item)
    digest, lookup = fingerprint(SMS_SEND, encoded), lookup_item(SMS_SEND, encoded)
    assert await ledger.claim("k", digest, claimer="dead", item=lookup) is None
    await claimer_gone(ledger, "k")
    async with client(base_url, ledger) as easify:
        await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Another text")
        with pytest.raises(UnknownOutcomeError):
            await easify.sms.send(
                DEMO_FROM_NUMBER, TO, message="Your code is 7", idempotency_key="k"
            )
        [settlement] = await reconcile(ledger, easify, server_timezone="UTC")
        assert (settlement.key, settlement.state, settlement.remote_id) == ("k", "not_sent", None)
        assert await ledger.entry("k") is None
        sent = await easify.sms.send(
            DEMO_FROM_NUMBER, TO, message="Your code is 7", idempotency_key="k"
        )
        again = await easify.sms.send(
            DEMO_FROM_NUMBER, TO, message="Your code is 7", idempotency_key="k"
        )
    assert again == sent
    assert [s.message for s in sandbox.sent_sms] == ["Another text", "Your code is 7"]


@STORES
async def test_a_lost_contact_reply_is_settled_with_the_contact(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """contacts.create whose reply was dropped: found in its group, the key completed with
    the contact, which the next call returns."""
    ledger = make_ledger()
    async with client(base_url, ledger) as easify:
        group = await easify.contact_groups.create(name="Customers")
        sandbox.faults.queue("drop")
        with pytest.raises(APIConnectionError):
            await easify.contacts.create(
                group_id=group.id, first_name="Ann", phone_number=TO, idempotency_key="c"
            )
        [settlement] = await reconcile(ledger, easify, server_timezone="UTC")
        assert settlement.state == "sent"
        [contact] = [c async for c in easify.contacts.list(group.id)]
        assert settlement.remote_id == str(contact.id)
        again = await easify.contacts.create(
            group_id=group.id, first_name="Ann", phone_number=TO, idempotency_key="c"
        )
    assert again == contact


@STORES
async def test_keys_it_cannot_look_up_are_left_and_reported(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """An email (no lookup without its id) and an entry that kept no request (an older
    version's): left ambiguous, each with its reason; nothing else changes."""
    ledger = make_ledger(lease=1)
    assert await ledger.claim("old", "fp", claimer="dead") is None
    await claimer_gone(ledger, "old")
    sandbox.faults.queue("drop")
    async with client(base_url, ledger) as easify:
        with pytest.raises(APIConnectionError):
            await easify.email.send(
                DEMO_SENDER, "ann@example.com", "Hi", message="<p>Hi</p>", idempotency_key="e"
            )
        before = {entry.key: entry for entry in await ledger.ambiguous()}
        settled = await reconcile(ledger, easify)
        after = {entry.key: entry for entry in await ledger.ambiguous()}
    reasons: dict[str, Any] = {s.key: (s.state, s.reason) for s in settled}
    assert reasons["e"][0] == reasons["old"][0] == "maybe_sent"
    assert "email without its id" in reasons["e"][1]
    assert "cannot look it up" in reasons["old"][1]
    assert sorted(after) == ["e", "old"]
    assert after["e"].error == before["e"].error
    assert after["e"].item == {"kind": "email"}


async def claim_dead(ledger: Ledger, key: str, text: str) -> None:
    """Claim ``key`` for an SMS of ``text`` as ``sms.send`` would, by a claimer that then
    died before its request went out."""
    encoded = encode_sms_send(SmsMessage(DEMO_FROM_NUMBER, TO, message=text))
    digest, lookup = fingerprint(SMS_SEND, encoded), lookup_item(SMS_SEND, encoded)
    assert await ledger.claim(key, digest, claimer="dead", item=lookup) is None
    await claimer_gone(ledger, key)


@STORES
async def test_an_sms_another_key_owns_is_not_taken_for_a_same_text_key_that_never_went(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """Two orders send the same text to the same number: "a" went out and completed, "b"'s
    claimer died before sending. The report holds one matching SMS, a's: b is settled not
    sent (taking a's SMS for b's would lose b's message), and sent by its next call."""
    ledger = make_ledger(lease=1)
    async with client(base_url, ledger) as easify:
        first = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Ready", idempotency_key="a")
        await claim_dead(ledger, "b", "Ready")
        [settlement] = await reconcile(ledger, easify, server_timezone="UTC")
        assert (settlement.key, settlement.state) == ("b", "not_sent")
        second = await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Ready", idempotency_key="b")
    assert second.sms_id != first.sms_id
    assert [s.message for s in sandbox.sent_sms] == ["Ready", "Ready"]


@STORES
async def test_a_key_settled_sent_without_its_id_keeps_a_same_text_key_unsettled(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """Key "a" was settled sent by hand, without a result (its SMS id unknown); "b" of the same
    text never went. The one matching SMS may be a's: b is left, with the reason."""
    ledger = make_ledger(lease=1)
    async with client(base_url, ledger) as easify:
        await claim_dead(ledger, "a", "Ready")
        await easify.sms.send(DEMO_FROM_NUMBER, TO, message="Ready")  # a's, sent without its key
        await ledger.settle("a", sent=True)
        await claim_dead(ledger, "b", "Ready")
        [settlement] = await reconcile(ledger, easify, server_timezone="UTC")
    assert (settlement.key, settlement.state) == ("b", "maybe_sent")
    assert "settled sent without an id" in settlement.reason
    entry = await ledger.entry("b")
    assert entry is not None
    assert entry.ambiguous


class Stale:
    """A ledger whose ``ambiguous()`` answers what it held before: a reconcile's read, made
    before a claimer that was only cut off came back and recorded its outcome."""

    def __init__(self, ledger: Ledger, before: list[Any]) -> None:
        self._ledger, self._before = ledger, before

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)

    async def ambiguous(self) -> list[Any]:
        return self._before


@STORES
async def test_a_claimer_that_recorded_after_the_reconcile_read_keeps_its_outcome(
    make_ledger: MakeLedger, sandbox: Sandbox, base_url: str
) -> None:
    """The reconcile read "k" as ambiguous (its lease had run out); its claimer, only cut
    off, then recorded the SMS sent. The lookup finds nothing (the sandbox never saw it
    here), but the key is not forgotten: it keeps the claimer's outcome and is reported
    left, so no later call sends it again."""
    ledger = make_ledger(lease=1)
    await claim_dead(ledger, "k", "Late")
    before = await ledger.ambiguous()
    assert [entry.key for entry in before] == ["k"]
    assert await ledger.record("k", claimer="dead", result={"sms_id": "77", "message": ""})
    async with client(base_url, ledger) as easify:
        [settlement] = await reconcile(Stale(ledger, before), easify, server_timezone="UTC")  # type: ignore[arg-type]
    assert (settlement.key, settlement.state) == ("k", "maybe_sent")
    assert "outcome is known" in settlement.reason
    entry = await ledger.entry("k")
    assert entry is not None
    assert (entry.state, entry.result) == ("completed", {"sms_id": "77", "message": ""})


@STORES
async def test_settling_only_an_unknown_outcome(make_ledger: MakeLedger) -> None:
    """``only_if_unknown``: a completed key and one refused (an error that did not act)
    are left, with a JournalError; an ambiguous one (maybe sent) is settled."""
    from easify_async.errors import JournalError
    from easify_async.ledgers import RecordedError

    ledger = make_ledger()
    refused = RecordedError(type="InvalidRecipientError", message="no", maybe_sent=False)
    maybe = RecordedError(type="APITimeoutError", message="timed out", maybe_sent=True)
    for key, outcome in (("sent", None), ("refused", refused), ("maybe", maybe)):
        assert await ledger.claim(key, "fp", claimer="a") is None
        await ledger.record(
            key, claimer="a", result={"sms_id": "1"} if outcome is None else None, error=outcome
        )
    for key in ("sent", "refused"):
        with pytest.raises(JournalError, match="outcome is known"):
            await ledger.settle(key, sent=False, only_if_unknown=True)
        found = await ledger.entry(key)
        assert found is not None
        assert not found.ambiguous
    assert await ledger.settle("maybe", sent=False, only_if_unknown=True) is None
    assert await ledger.entry("maybe") is None
    assert await ledger.settle("sent", sent=False) is None  # by hand: a mistake undone
