"""Fixtures of the ledger tests: real redis-servers, with and without persistence, and a
ledger of each store."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from easify_async.ledgers import Ledger, SqliteLedger
from tests.limiters.conftest import RedisServer, _free_port, _redis_binary, redis_cluster

__all__ = ["durable_redis", "make_ledger", "redis_cluster", "volatile_redis"]

#: Pairs of backend and store: redis-py's client is asyncio-only.
STORES = pytest.mark.parametrize(
    ("anyio_backend", "store"),
    [("asyncio", "sqlite"), ("trio", "sqlite"), ("asyncio", "redis")],
)
DURABLE = ("--appendonly", "yes", "--appendfsync", "always")


@pytest.fixture(scope="session")
def durable_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server writing every change to its append-only file before answering."""
    server = RedisServer(
        _redis_binary(), _free_port(), tmp_path_factory.mktemp("redis-aof"), options=DURABLE
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def volatile_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own that keeps nothing on disk (the limiter's)."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def store() -> str:
    """The ledger's store, when a test is not parametrised with one (`STORES`)."""
    return "sqlite"


@pytest.fixture
async def make_ledger(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[..., Ledger]]:
    """Make ledgers of the test's store on one file or one server (closed after the test):
    ``make_ledger(lease=..., wait=...)``."""
    made: list[Ledger] = []
    prefix = f"test:{uuid.uuid4().hex}:"

    def make(**options: Any) -> Ledger:
        ledger: Ledger
        if store == "redis":
            from easify_async.ledgers import RedisLedger

            server: RedisServer = request.getfixturevalue("durable_redis")
            ledger = RedisLedger(server.url, prefix=prefix, **options)
        else:
            ledger = SqliteLedger(tmp_path / "ledger.db", **options)
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        await ledger.aclose()
