"""The bulk journal: each item's state in SQLite, written durably around its request."""

from __future__ import annotations

import os
import sqlite3
from typing import Literal

import anyio
import anyio.to_thread
from attrs import frozen

from ..errors import InvalidJournalError, JournalError, JournalLockedError

__all__ = ["Journal", "Record", "State"]

State = Literal["in_flight", "sent", "failed", "maybe_sent", "not_sent"]

# Marks a file as a bulk journal (SQLite's application_id header field): any other
# database is refused, never written into.
_APPLICATION_ID = 0x45415359  # "EASY"

_SCHEMA = """
CREATE TABLE items (
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

    The connection holds SQLite's exclusive lock (an OS file lock, gone with the process,
    however it ends) from opening to closing: a second run on the same file is refused
    at once with `JournalLockedError`.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Open (or create) the journal at ``path`` and lock it; prefer `Journal.open`.

        Raises:
            InvalidJournalError: the path cannot hold a journal.
            JournalLockedError: another run holds it.
        """
        self._path = os.fspath(path)
        self._db = _connect(self._path)
        self._one_at_a_time = anyio.CapacityLimiter(1)

    @classmethod
    async def open(cls, path: str | os.PathLike[str]) -> Journal:
        """`Journal` (path), opened in a worker thread."""
        return await anyio.to_thread.run_sync(cls, path)

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
        """Close the database file, releasing its lock."""
        self._db.close()

    def _read(self, key: str) -> Record | None:
        try:
            row = self._db.execute(
                "SELECT fingerprint, state, remote_id, error, run_id FROM items WHERE key = ?",
                (key,),
            ).fetchone()
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self._path!r} could not be read: {exc}") from exc
        return None if row is None else Record(*row)

    def _write(self, row: tuple[str, str, str, str | None, str | None, str]) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)", row)
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self._path!r} could not be written: {exc}") from exc


def _connect(path: str) -> sqlite3.Connection:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InvalidJournalError(path, f"its folder {folder!r} does not exist")
    if os.path.isdir(path):
        raise InvalidJournalError(path, "is a directory, not a file")
    try:
        # timeout=0: a journal held by another run is refused now, not after a wait.
        db = sqlite3.connect(path, timeout=0, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidJournalError(path, f"cannot be opened ({exc})") from exc
    try:
        _prepare(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: sqlite3.Connection, path: str) -> None:
    """Take the lock, check the file is a journal (creating one in an empty file), set WAL."""
    try:
        # Exclusive locking mode keeps every lock taken until the connection closes; the
        # first statement takes the write lock, so the check below runs under it.
        db.execute("PRAGMA locking_mode=EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        schema = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_master") if sql]
        if application_id == 0 and schema in ([], [_SCHEMA.strip()]):
            # A new or empty file, or a journal from before files were marked.
            if not schema:
                db.execute(_SCHEMA)
            db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
        elif application_id != _APPLICATION_ID:
            raise InvalidJournalError(path, "is an SQLite database, but not a bulk journal")
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise JournalLockedError(path) from exc
        raise InvalidJournalError(path, f"cannot be used ({exc})") from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        raise InvalidJournalError(path, "is not a journal (not an SQLite database)") from exc
