"""contacts.create_many: the bulk engine on contacts, against the sandbox in process and over
uvicorn: bad rows checked first, each contact created once, journaled resume, the 15/min pace.
"""

from __future__ import annotations

import collections
import random
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio
import pytest
import trio.testing

from easify_async import (
    ArgumentError,
    AsyncEasify,
    InvalidGroupError,
    InvalidPhoneNumberError,
    RateLimits,
    UnsupportedCountryError,
)
from easify_async.bulk import (
    BulkStoppedError,
    ContactResult,
    DuplicateKeyError,
    KeyConflictError,
    NewContact,
    Outcome,
)
from easify_async.sandbox import DEMO_TOKEN, Faults, Sandbox, serve
from tests.fakes import Counting

pytestmark = pytest.mark.anyio

PERIOD = 0.3  # the sandbox's minute, and the client's
Connect = Callable[[Sandbox], AbstractAsyncContextManager[AsyncEasify]]


@asynccontextmanager
async def in_process(sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    limits = RateLimits().scaled(PERIOD / 60)
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as e:
        yield e


@asynccontextmanager
async def over_uvicorn(sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    limits = RateLimits().scaled(PERIOD / 60)
    async with (
        serve(sandbox) as base_url,
        AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as easify,
    ):
        yield easify


@pytest.fixture(
    params=[pytest.param(in_process, id="in-process"), pytest.param(over_uvicorn, id="uvicorn")]
)
def connect(request: pytest.FixtureRequest) -> Connect:
    return request.param  # type: ignore[no-any-return]


def contact(group_id: int, n: int, **changes: object) -> NewContact:
    fields: dict[str, object] = {
        "group_id": group_id,
        "first_name": f"item {n}",
        "phone_number": f"+1315135{n:04d}",
        "key": f"k{n}",
    }
    return NewContact(**{**fields, **changes})  # type: ignore[arg-type]


def created(sandbox: Sandbox) -> collections.Counter[str]:
    """How many times each first name was created in the demo account."""
    records = sandbox.contacts.contacts_of(DEMO_TOKEN)
    return collections.Counter(record.fields["first_name"] for record in records)


def new_group(sandbox: Sandbox, name: str = "Import") -> int:
    return sandbox.contacts.add_group(DEMO_TOKEN, name, sandbox.wall_clock()).id


async def test_each_contact_is_created_once_and_bad_items_fail_alone(connect: Connect) -> None:
    """Good items created (ids returned); bad ones FAILED with their typed error."""
    sandbox = Sandbox(period=PERIOD)
    group = new_group(sandbox)
    bad = {
        "k20": contact(group, 20, first_name="x" * 21),
        "k21": contact(group, 21, phone_number="+447911123456"),
        "k22": contact(group, 22, phone_number=None),
        "k23": contact(group, 23, phone_number="+1315135"),
    }
    items = [contact(group, n) for n in range(20)] + list(bad.values()) + [contact(group, 0)]
    async with connect(sandbox) as easify:
        results = [r async for r in easify.contacts.create_many(items)]
    assert len(results) == len(items)
    by_key = collections.defaultdict(list)
    for result in results:
        assert isinstance(result, ContactResult)
        by_key[result.key].append(result)
    assert created(sandbox) == {f"item {n}": 1 for n in range(20)}
    ids = {c.id for c in sandbox.contacts.contacts_of(DEMO_TOKEN)}
    for n in range(1, 20):
        (result,) = by_key[f"k{n}"]
        assert result.outcome is Outcome.SENT
        assert result.ok
        assert result.contact_id in ids
    first, repeated = by_key["k0"]
    assert first.outcome is Outcome.SENT
    assert repeated.outcome is Outcome.FAILED
    assert isinstance(repeated.error, DuplicateKeyError)
    errors = {key: by_key[key][0].error for key in bad}
    assert isinstance(errors["k20"], ArgumentError)
    assert errors["k20"].argument == "first_name"
    assert isinstance(errors["k21"], UnsupportedCountryError)
    assert isinstance(errors["k22"], ArgumentError)
    assert isinstance(errors["k23"], InvalidPhoneNumberError)
    assert all(by_key[key][0].outcome is Outcome.FAILED for key in bad)


async def test_bad_items_spend_no_request() -> None:
    """An item refused by the checks never reaches the server."""
    sandbox = Sandbox(period=PERIOD)
    group = new_group(sandbox)
    counting = Counting(sandbox.transport())
    items = [contact(group, 1, email_address="not an address", phone_number=None)]
    items += [contact(0, 2), contact(group, 3, country_code="+44")]
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        results = [r async for r in easify.contacts.create_many(items)]
    assert [r.outcome for r in results] == [Outcome.FAILED] * 3
    assert all(isinstance(r.error, ArgumentError) for r in results)
    assert counting.requests == []
    assert created(sandbox) == {}


async def test_an_unknown_group_is_a_refusal_not_a_maybe(connect: Connect) -> None:
    """The API's "Invalid group id" 400 stops the import; the item certainly created nothing."""
    sandbox = Sandbox(period=PERIOD)
    results: list[ContactResult] = []

    async def drain() -> None:
        async for r in easify.contacts.create_many([contact(999, 1)]):
            results.append(r)

    async with connect(sandbox) as easify:
        with pytest.raises(BulkStoppedError):
            await drain()
    (result,) = results
    assert result.outcome is Outcome.NOT_SENT
    assert isinstance(result.error, InvalidGroupError)
    assert result.error.maybe_sent is False
    assert created(sandbox) == {}


async def test_a_rerun_with_the_journal_creates_nothing_twice(
    connect: Connect, tmp_path: Path
) -> None:
    """Created items come back ALREADY_SENT with their ids; a reused key is refused."""
    sandbox = Sandbox(period=PERIOD)
    group = new_group(sandbox)
    journal = tmp_path / "import.db"
    items = [contact(group, n) for n in range(8)]
    async with connect(sandbox) as easify:
        first = {r.key: r async for r in easify.contacts.create_many(items, journal=journal)}
        changed = [*items[:7], contact(group, 7, last_name="Other")]
        again = {r.key: r async for r in easify.contacts.create_many(changed, journal=journal)}
    assert created(sandbox) == {f"item {n}": 1 for n in range(8)}
    for n in range(7):
        assert again[f"k{n}"].outcome is Outcome.ALREADY_SENT
        assert again[f"k{n}"].contact_id == first[f"k{n}"].contact_id is not None
    assert again["k7"].outcome is Outcome.FAILED
    assert isinstance(again["k7"].error, KeyConflictError)


async def test_an_import_cut_short_in_process_resumes_without_duplicates(
    tmp_path: Path,
) -> None:
    """Cancelled three times mid-run (requests out), then resumed: each contact once."""
    rng = random.Random(5)
    sandbox = Sandbox(period=PERIOD, faults=Faults(latency=(0.02, 0.08), seed=2))
    group = new_group(sandbox)
    journal = tmp_path / "import.db"
    items = [contact(group, n) for n in range(60)]
    async with in_process(sandbox) as easify:
        for _ in range(3):
            # Cancelled after a few new contacts, while the next ones' requests are out.
            wanted, done = rng.randint(2, 8), 0
            with anyio.CancelScope() as scope:
                async for result in easify.contacts.create_many(
                    items, journal=journal, concurrency=5
                ):
                    done += result.outcome is Outcome.SENT
                    if done == wanted:
                        scope.cancel()
        cut_short = sum(created(sandbox).values())
        final = {r.key: r async for r in easify.contacts.create_many(items, journal=journal)}
    assert 0 < cut_short < len(items)
    counts = created(sandbox)
    for n in range(60):
        result = final[f"k{n}"]
        if result.outcome is Outcome.MAYBE_SENT:  # cut off mid-request by a cancellation
            assert counts[f"item {n}"] <= 1
        else:
            assert result.outcome in (Outcome.SENT, Outcome.ALREADY_SENT)
            assert counts[f"item {n}"] == 1


@pytest.mark.parametrize(
    "anyio_backend",
    [pytest.param(("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}), id="trio")],
)
async def test_the_import_runs_at_the_create_limit_without_a_429() -> None:
    """At the documented 15/min: 45 contacts take three windows, and no request is refused."""
    sandbox = Sandbox(clock=anyio.current_time)  # a real 60-second minute, on virtual time
    group = new_group(sandbox)
    items = [contact(group, n) for n in range(45)]
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        start = anyio.current_time()
        outcomes = [r.outcome async for r in easify.contacts.create_many(items)]
        elapsed = anyio.current_time() - start
    assert outcomes == [Outcome.SENT] * 45
    assert sandbox.rejected_requests == 0
    # Windows open at 0, 60 and 120 s (plus the client's margin): never sooner.
    assert 120 <= elapsed < 125
