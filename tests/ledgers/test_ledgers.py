"""The ledger contract, on each store (SQLite on asyncio and trio, Redis on asyncio):
atomic claims, outcomes recorded by their claimer only, a dead claimer seen, settlements."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from easify_async.errors import (
    ArgumentError,
    InvalidJournalError,
    JournalError,
    KeyInProgressError,
)
from easify_async.ledgers import Ledger, LedgerEntry, RecordedError, SqliteLedger

from .conftest import STORES

pytestmark = pytest.mark.anyio

MakeLedger = Callable[..., Ledger]


async def claimer_gone(ledger: Ledger, key: str) -> LedgerEntry:
    """Wait until ``key``'s claim has run out; its entry then."""
    with anyio.fail_after(10):
        while True:
            entry = await ledger.entry(key)
            assert entry is not None
            if not entry.claimer_alive:
                return entry
            await anyio.sleep(0.01)


@STORES
async def test_the_first_claim_wins_and_later_ones_see_its_entry(make_ledger: MakeLedger) -> None:
    """A claim of a new key returns None; another then gets the entry, in progress, alive."""
    ledger = make_ledger()
    assert await ledger.claim("k", "fp", claimer="a") is None
    held = await ledger.claim("k", "other", claimer="b")
    assert held is not None
    assert (held.key, held.state, held.fingerprint, held.claimer) == ("k", "in_progress", "fp", "a")
    assert held.claimer_alive
    assert not held.ambiguous
    assert held.heartbeat_at is not None
    assert held.heartbeat_at.tzinfo is not None
    assert await ledger.entry("k") == held
    assert await ledger.entry("unknown") is None


@STORES
async def test_of_many_concurrent_claims_exactly_one_wins(make_ledger: MakeLedger) -> None:
    """Twenty claimers of one key, on two ledger objects of one store: one claim."""
    ledgers = [make_ledger(), make_ledger()]
    won: list[str] = []

    async def claim(n: int) -> None:
        if await ledgers[n % 2].claim("k", "fp", claimer=f"c{n}") is None:
            won.append(f"c{n}")

    async with anyio.create_task_group() as tg:
        for n in range(20):
            tg.start_soon(claim, n)
    assert len(won) == 1
    entry = await ledgers[0].entry("k")
    assert entry is not None
    assert entry.claimer == won[0]


@STORES
async def test_only_the_claimer_records_and_its_outcome_is_kept(make_ledger: MakeLedger) -> None:
    """Another claimer's record, heartbeat or release changes nothing; the claimer's
    result completes the key, and nothing changes it afterwards."""
    ledger = make_ledger()
    await ledger.claim("k", "fp", claimer="a")
    assert not await ledger.record("k", claimer="b", result={"x": 1})
    assert not await ledger.heartbeat("k", claimer="b")
    assert not await ledger.release("k", claimer="b")
    assert await ledger.heartbeat("k", claimer="a")
    assert await ledger.record("k", claimer="a", result={"sms_id": "7", "n": [1, 2]})
    entry = await ledger.entry("k")
    assert entry is not None
    assert (entry.state, entry.result, entry.error, entry.claimer_alive) == (
        "completed",
        {"sms_id": "7", "n": [1, 2]},
        None,
        False,
    )
    assert not entry.ambiguous
    assert not await ledger.record("k", claimer="a", result={"x": 2})
    assert not await ledger.release("k", claimer="a")
    assert await ledger.entry("k") == entry


@STORES
async def test_a_recorded_error_is_kept_whole(make_ledger: MakeLedger) -> None:
    """A failure's type, message, status, field errors and maybe_sent come back as given."""
    ledger = make_ledger()
    error = RecordedError(
        type="ValidationError",
        message="The to number field is required.",
        maybe_sent=False,
        status_code=422,
        errors={"to_number": ["required"]},
    )
    await ledger.claim("k", "fp", claimer="a")
    assert await ledger.record("k", claimer="a", error=error)
    entry = await ledger.entry("k")
    assert entry is not None
    assert (entry.state, entry.error, entry.ambiguous) == ("failed", error, False)
    maybe = RecordedError(type="APITimeoutError", message="timed out", maybe_sent=True)
    await ledger.claim("m", "fp", claimer="a")
    await ledger.record("m", claimer="a", error=maybe)
    entry = await ledger.entry("m")
    assert entry is not None
    assert entry.ambiguous


@STORES
async def test_a_released_key_can_be_claimed_again(make_ledger: MakeLedger) -> None:
    """A release (nothing went out) forgets the claim: the next claim wins."""
    ledger = make_ledger()
    await ledger.claim("k", "fp", claimer="a")
    assert await ledger.release("k", claimer="a")
    assert await ledger.entry("k") is None
    assert await ledger.claim("k", "fp", claimer="b") is None


@STORES
async def test_a_claim_without_heartbeats_runs_out_and_reads_ambiguous(
    make_ledger: MakeLedger,
) -> None:
    """A claimer that stops heartbeating is seen gone after the lease: ambiguous, still
    held (a claim does not take it over), and its late record still lands."""
    ledger = make_ledger(lease=0.05)
    await ledger.claim("k", "fp", claimer="a")
    entry = await claimer_gone(ledger, "k")
    assert entry.state == "in_progress"
    assert entry.ambiguous
    held = await ledger.claim("k", "fp", claimer="b")
    assert held is not None
    assert held.claimer == "a"
    assert not held.claimer_alive
    assert await ledger.record("k", claimer="a", result={"sms_id": "1"})
    entry2 = await ledger.entry("k")
    assert entry2 is not None
    assert entry2.state == "completed"


@STORES
async def test_settling_an_ambiguous_key(make_ledger: MakeLedger) -> None:
    """Settled sent: completed with the result given and a note; settled not sent: gone,
    so the next claim wins. A live claim, or no entry, cannot be settled."""
    ledger = make_ledger(lease=0.05)
    with pytest.raises(JournalError, match="no entry"):
        await ledger.settle("none", sent=True)
    await ledger.claim("live", "fp", claimer="a")
    await ledger.heartbeat("live", claimer="a")
    live = make_ledger(lease=60)
    await live.claim("held", "fp", claimer="b")
    with pytest.raises(KeyInProgressError) as caught:
        await live.settle("held", sent=True)
    assert caught.value.key == "held"
    assert caught.value.claimer == "b"
    await claimer_gone(ledger, "live")
    settled = await ledger.settle("live", sent=True, result={"sms_id": "9"})
    assert settled is not None
    assert (settled.state, settled.result, settled.claimer) == (
        "completed",
        {"sms_id": "9"},
        "settled",
    )
    assert settled.note is not None
    assert "in_progress" in settled.note
    await ledger.claim("lost", "fp", claimer="a")
    await claimer_gone(ledger, "lost")
    assert await ledger.settle("lost", sent=False, note="checked: not in the report") is None
    assert await ledger.claim("lost", "fp", claimer="c") is None


@STORES
async def test_a_ledger_checks_and_reports_its_lease_wait_and_keep(
    make_ledger: MakeLedger, tmp_path: Path
) -> None:
    """``lease`` and ``keep`` (seconds above 0; keep ``None`` by default) and ``wait`` (0
    or more, inf for no limit) read back as given, as floats; any other value is refused
    by name before the store is opened."""
    refused: list[dict[str, Any]] = [
        *({"lease": bad} for bad in (0, -1, math.nan, math.inf, True, "15")),
        *({"wait": bad} for bad in (-0.5, math.nan, True, "30")),
        *({"keep": bad} for bad in (0, -1, math.nan, math.inf, True, "86400")),
    ]
    for options in refused:
        (argument,) = options
        with pytest.raises(ArgumentError, match=f"^{argument}: ") as caught:
            make_ledger(**options)
        assert caught.value.argument == argument
    assert not (tmp_path / "ledger.db").exists()  # (the SQLite store's file)
    ledger = make_ledger(lease=2, wait=0)
    assert (ledger.lease, ledger.wait) == (2.0, 0.0)
    assert {type(ledger.lease), type(ledger.wait)} == {float}
    assert make_ledger(wait=math.inf).wait == math.inf
    assert make_ledger().keep is None
    assert make_ledger(keep=86400).keep == 86400.0


@STORES
async def test_a_key_whose_outcome_is_known_is_forgotten_after_keep(
    make_ledger: MakeLedger,
) -> None:
    """With ``keep``, a key recorded sent, refused, or settled sent by hand is forgotten
    ``keep`` seconds later (claimed anew); one whose outcome is unknown (maybe sent, or
    its claimer gone) and one in progress stay, whatever the time."""
    ledger = make_ledger(keep=0.2, lease=0.1)
    refusal = RecordedError(type="InvalidRecipientError", message="no", maybe_sent=False)
    maybe = RecordedError(type="APITimeoutError", message="timed out", maybe_sent=True)
    for key in ("sent", "refused", "maybe", "dead", "by-hand"):
        assert await ledger.claim(key, "fp", claimer="a") is None
    assert await ledger.record("sent", claimer="a", result={"sms_id": "1"})
    assert await ledger.record("refused", claimer="a", error=refusal)
    assert await ledger.record("maybe", claimer="a", error=maybe)
    await claimer_gone(ledger, "dead")
    await claimer_gone(ledger, "by-hand")
    await ledger.settle("by-hand", sent=True)
    live = make_ledger(keep=0.2)  # the same store, a long lease: its claim stays alive
    assert await live.claim("alive", "fp", claimer="b") is None
    await anyio.sleep(0.5)
    assert await live.heartbeat("alive", claimer="b")
    for key in ("sent", "refused", "by-hand"):
        assert await ledger.entry(key) is None, key
    maybe_entry, dead, alive = [await ledger.entry(k) for k in ("maybe", "dead", "alive")]
    assert maybe_entry is not None
    assert dead is not None
    assert alive is not None
    assert maybe_entry.ambiguous
    assert dead.ambiguous
    assert alive.state == "in_progress"
    assert await ledger.claim("sent", "fp", claimer="c") is None


@STORES
async def test_without_keep_a_known_outcome_stays(make_ledger: MakeLedger) -> None:
    """The default keeps every key for good; a long ``keep`` keeps it meanwhile."""
    for ledger in (make_ledger(), make_ledger(keep=3600)):
        key = f"k{ledger.keep}"
        assert await ledger.claim(key, "fp", claimer="a") is None
        assert await ledger.record(key, claimer="a", result={"sms_id": "1"})
    await anyio.sleep(0.3)
    for key in ("kNone", "k3600.0"):
        found = await make_ledger(keep=3600).entry(key)
        assert found is not None
        assert found.result == {"sms_id": "1"}


async def test_a_file_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    """Another SQLite database (a bulk journal) and a folder are refused, untouched."""
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()  # `with` commits, it does not close (Python 3.13 warns of an open one)
    with pytest.raises(InvalidJournalError, match="not a ledger"):
        SqliteLedger(other)
    with pytest.raises(InvalidJournalError, match="directory"):
        SqliteLedger(tmp_path)
    with pytest.raises(InvalidJournalError, match="does not exist"):
        SqliteLedger(tmp_path / "missing" / "l.db")


@STORES
async def test_a_claim_keeps_what_a_reconcile_looks_the_request_up_by(
    make_ledger: MakeLedger,
) -> None:
    """The claim's item, given back whole, and its time (UTC); a claim without an item
    keeps none. Recording the outcome keeps them."""
    ledger = make_ledger()
    item = {"kind": "sms", "from_number": "3152930000", "to_number": "3151350000",
            "country_code": "+1", "message": "Hi"}  # fmt: skip
    before = dt.datetime.now(dt.timezone.utc)
    assert await ledger.claim("k", "fp", claimer="a", item=item) is None
    entry = await ledger.entry("k")
    assert entry is not None
    assert entry.item == item
    assert entry.attempted_at is not None
    # Redis's clock is this machine's here; a second's slack for their rounding.
    assert before - dt.timedelta(seconds=1) <= entry.attempted_at
    assert entry.attempted_at <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert await ledger.record("k", claimer="a", result={"sms_id": "1", "message": ""})
    recorded = await ledger.entry("k")
    assert recorded is not None
    assert (recorded.item, recorded.attempted_at) == (item, entry.attempted_at)
    assert await ledger.claim("bare", "fp", claimer="a") is None
    bare = await ledger.entry("bare")
    assert bare is not None
    assert bare.item == {}


@STORES
async def test_ambiguous_lists_the_keys_whose_outcome_is_unknown(make_ledger: MakeLedger) -> None:
    """A claim run out and an error that may have acted are listed; a live claim, a
    result, a refusal, and a key settled since are not."""
    ledger = make_ledger(lease=2)
    assert await ledger.claim("dead", "fp", claimer="a") is None
    await claimer_gone(ledger, "dead")
    for key in ("sent", "refused", "maybe", "settled", "live"):
        assert await ledger.claim(key, "fp", claimer="a") is None
    assert await ledger.record("sent", claimer="a", result={"x": 1})
    refusal = RecordedError(type="APIError", message="no", maybe_sent=False, status_code=422)
    assert await ledger.record("refused", claimer="a", error=refusal)
    dropped = RecordedError(type="APIConnectionError", message="dropped", maybe_sent=True)
    assert await ledger.record("maybe", claimer="a", error=dropped)
    assert await ledger.record("settled", claimer="a", error=dropped)
    await ledger.settle("settled", sent=False)
    found = await ledger.ambiguous()
    assert sorted(entry.key for entry in found) == ["dead", "maybe"]
    assert all(entry.ambiguous for entry in found)


async def test_a_ledger_file_of_an_older_version_is_read_and_gains_the_new_columns(
    tmp_path: Path,
) -> None:
    """A file made before claims kept their request: its entries read without one (no
    item, no attempt time) and are listed when ambiguous; new claims keep theirs."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
            "state TEXT NOT NULL, claimer TEXT, heartbeat REAL, result TEXT, error TEXT, "
            "note TEXT)"
        )
        db.execute("PRAGMA application_id=1161907271")  # a ledger's ("EALG")
        db.execute(
            "INSERT INTO keys VALUES ('old', 'fp', 'in_progress', 'a', 1.0, NULL, NULL, NULL)"
        )
    db.close()
    ledger = SqliteLedger(path)
    try:
        [old] = await ledger.ambiguous()
        assert (old.key, old.item, old.attempted_at) == ("old", {}, None)
        assert await ledger.claim("new", "fp", claimer="b", item={"kind": "email"}) is None
        new = await ledger.entry("new")
        assert new is not None
        assert new.item == {"kind": "email"}
    finally:
        await ledger.aclose()


def test_a_redis_lease_in_its_last_millisecond_is_alive_as_the_scripts_see_it() -> None:
    """Redis answers PTTL 0 for a key in its last millisecond, which EXISTS (what the
    settle and claim scripts ask) still finds: the entry read then says the claimer is
    alive, or a settle made on the strength of it would meet a live claim (a flaky
    KeyInProgressError, seen once in CI). -2 (no lease) is a claimer gone."""
    from easify_async.ledgers import RedisLedger

    ledger = RedisLedger("redis://127.0.0.1:1/0")  # never connected
    fields = ["state", "in_progress", "fingerprint", "fp", "claimer", "a"]
    assert ledger._entry("k", 0, fields).claimer_alive
    assert ledger._entry("k", 1, fields).claimer_alive
    assert not ledger._entry("k", -2, fields).claimer_alive
    completed = ["state", "completed", "fingerprint", "fp", "claimer", "a"]
    assert not ledger._entry("k", 5, completed).claimer_alive


@pytest.mark.redis
@pytest.mark.parametrize("anyio_backend", ["asyncio"])  # redis-py is asyncio-only
async def test_a_redis_ledger_lists_only_its_own_prefix_whatever_its_characters(
    durable_redis: Any,
) -> None:
    """A prefix with SCAN's pattern characters matches itself only: ``t*[1]:`` does not
    list the keys of ``tx[1]:`` or ``t1:``, nor they its."""
    from easify_async.ledgers import RedisLedger

    run = uuid.uuid4().hex
    prefixes = [f"{run}t*[1]:", f"{run}tx[1]:", f"{run}t1:"]
    ledgers = [RedisLedger(durable_redis.url, prefix=p, lease=0.2) for p in prefixes]
    try:
        dropped = RecordedError(type="APIConnectionError", message="dropped", maybe_sent=True)
        for n, ledger in enumerate(ledgers):
            assert await ledger.claim(f"k{n}", "fp", claimer="a") is None
            assert await ledger.record(f"k{n}", claimer="a", error=dropped)
        for n, ledger in enumerate(ledgers):
            assert [entry.key for entry in await ledger.ambiguous()] == [f"k{n}"]
    finally:
        for ledger in ledgers:
            await ledger.aclose()
