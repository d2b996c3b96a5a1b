"""``AsyncEasify(ledger=...)`` and ``with_options(ledger=...)`` take a ledger, nothing else."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify, Easify
from easify_async.ledgers import SqliteLedger

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
