"""The bulk journal: each item's state in SQLite, written durably around its request."""

from __future__ import annotations

import os
import sqlite3
from typing import Literal

import anyio
import anyio.to_thread
from attrs import frozen

__all__ = ["Journal", "Record", "State"]

State = Literal["in_flight", "sent", "failed", "maybe_sent", "not_sent"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    remote_id TEXT,
    error TEXT,
    run_id TEXT NOT NULL
)
"""


@frozen
class Record:
    """What the journal holds for one key."""

    fingerprint: str
    state: State
    remote_id: str | None
    error: str | None
    run_id: str


class Journal:
    """One SQLite file (WAL, synchronous=FULL) holding the state of every item by key.

    Writes are committed before ``write`` returns, so a process killed at any moment
    leaves each item either unrecorded, ``in_flight`` (its request may have gone out) or
    with its final state. The blocking SQLite calls run in a worker thread, one at a time.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._db = sqlite3.connect(os.fspath(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(_SCHEMA)
        self._one_at_a_time = anyio.CapacityLimiter(1)

    async def read(self, key: str) -> Record | None:
        """The record of ``key``, if any."""
        return await anyio.to_thread.run_sync(self._read, key, limiter=self._one_at_a_time)

    async def write(
        self,
        key: str,
        *,
        fingerprint: str,
        state: State,
        run_id: str,
        remote_id: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record ``key``'s state, durably, before returning."""
        row = (key, fingerprint, state, remote_id, error, run_id)
        await anyio.to_thread.run_sync(self._write, row, limiter=self._one_at_a_time)

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def _read(self, key: str) -> Record | None:
        row = self._db.execute(
            "SELECT fingerprint, state, remote_id, error, run_id FROM items WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else Record(*row)

    def _write(self, row: tuple[str, str, str, str | None, str | None, str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)", row)
