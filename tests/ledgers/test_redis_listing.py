"""A Redis ledger's listings (``ambiguous()``, ``completed()``, what a reconcile reads)
read their keys' entries many at once, and fail whole when Redis does."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from easify_async.errors import LedgerUnavailableError
from easify_async.ledgers import LedgerEntry, RecordedError, RedisLedger
from tests.limiters.conftest import RedisServer, _free_port, _redis_binary

from .conftest import DURABLE

pytestmark = [pytest.mark.anyio, pytest.mark.redis]
ASYNCIO = pytest.mark.parametrize("anyio_backend", ["asyncio"])  # redis-py is asyncio-only
DROPPED = RecordedError(type="APIConnectionError", message="dropped", maybe_sent=True)

Read = Callable[[str], Coroutine[Any, Any, "LedgerEntry | None"]]


async def ambiguous_keys(ledger: RedisLedger, count: int) -> list[str]:
    """``count`` keys whose request may have gone out (in key order)."""
    keys = [f"k{n:03}" for n in range(count)]
    for key in keys:
        assert await ledger.claim(key, "fp", claimer="a") is None
        assert await ledger.record(key, claimer="a", error=DROPPED)
    return keys


@ASYNCIO
async def test_a_listing_reads_64_entries_at_once_and_lists_them_in_key_order(
    durable_redis: RedisServer,
) -> None:
    """150 ambiguous keys: listed in key order, their reads overlapping 64 at a time (one
    after another, a listing of 100,000 keys took 100,000 round trips)."""
    ledger = RedisLedger(durable_redis.url, prefix=f"{uuid.uuid4().hex}:")
    try:
        keys = await ambiguous_keys(ledger, 150)
        under_way = most = 0
        read: Read = ledger.entry

        async def counted(key: str) -> LedgerEntry | None:
            nonlocal under_way, most
            under_way += 1
            most = max(most, under_way)
            try:
                return await read(key)
            finally:
                under_way -= 1

        ledger.entry = counted  # type: ignore[method-assign]
        found = await ledger.ambiguous()
        assert [entry.key for entry in found] == keys
        assert all(entry.ambiguous for entry in found)
        assert most == 64
        assert await ledger.completed() == []
    finally:
        await ledger.aclose()


@ASYNCIO
async def test_a_listing_fails_whole_when_redis_goes_away_during_its_reads(
    tmp_path: Path,
) -> None:
    """The server stops as the 70th read starts (the second batch): the listing raises
    LedgerUnavailableError, not a part of the list, and leaves nothing running."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path, options=DURABLE)
    server.start()
    ledger = RedisLedger(server.url)
    try:
        await ambiguous_keys(ledger, 100)
        reads = 0
        read: Read = ledger.entry

        async def stopping(key: str) -> LedgerEntry | None:
            nonlocal reads
            reads += 1
            if reads == 70:
                server.stop()
            return await read(key)

        ledger.entry = stopping  # type: ignore[method-assign]
        tasks = asyncio.all_tasks()
        with pytest.raises(LedgerUnavailableError):
            await ledger.ambiguous()
        assert reads == 100  # the whole failing batch was read
        assert asyncio.all_tasks() == tasks  # and none of its reads is still under way
    finally:
        await ledger.aclose()
        server.stop()
