"""``AsyncEasify(ledger=...)`` and ``with_options(ledger=...)`` take a ledger, nothing else."""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify, Easify
from easify_async.ledgers import SqliteLedger
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox

NOWHERE = httpx.MockTransport(lambda request: httpx.Response(500))


@pytest.mark.parametrize(
    "value",
    [pytest.param("ledger.db", id="path"), pytest.param(object(), id="object")],
)
def test_something_that_is_not_a_ledger_is_an_argument_error(value: object) -> None:
    """A path or any object is refused, naming the argument, by both ways in."""
    with pytest.raises(ArgumentError, match="expected a ledger") as caught:
        AsyncEasify("t", transport=NOWHERE, ledger=value)  # type: ignore[arg-type]
    assert caught.value.argument == "ledger"
    easify = AsyncEasify("t", transport=NOWHERE)
    with pytest.raises(ArgumentError, match="expected a ledger"):
        easify.with_options(ledger=value)  # type: ignore[arg-type]


def test_the_blocking_client_takes_a_ledger(tmp_path: Path) -> None:
    """Easify(ledger=...) is the same option (the ledger used from its loop thread)."""
    ledger = SqliteLedger(tmp_path / "l.db")
    with Easify("t", transport=NOWHERE, ledger=ledger) as easify:
        assert easify.with_options(ledger=ledger) is not None
    anyio.run(ledger.aclose)


def test_a_blocking_send_with_a_key_is_made_once(tmp_path: Path) -> None:
    """Easify's sms.send with a key, twice, on a ledger made outside any event loop: one
    SMS, equal results."""
    sandbox = Sandbox()
    ledger = SqliteLedger(tmp_path / "l.db")
    with Easify(DEMO_TOKEN, transport=sandbox.transport(), ledger=ledger) as easify:
        sent = easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key="k")
        again = easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", idempotency_key="k")
    anyio.run(ledger.aclose)
    assert again == sent
    assert len(sandbox.sent_sms) == 1


def test_the_ledgers_modules_public_names() -> None:
    """``easify_async.ledgers.__all__``, sorted; RedisLedger loads only when asked for."""
    import easify_async.ledgers as ledgers

    assert ledgers.__all__ == [
        "Ledger",
        "LedgerEntry",
        "RecordedError",
        "RedisLedger",
        "SqliteLedger",
        "State",
        "reconcile",
    ]
    assert sorted(dir(ledgers)) == sorted({*dir(ledgers), *ledgers.__all__})
