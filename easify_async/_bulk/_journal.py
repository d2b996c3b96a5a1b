"""The bulk journal: each item's state in SQLite, written durably around its request.

Besides the engine's ``read``/``write``, a `Journal` is what people settle rows with:
``entries`` lists them, ``resolve`` settles one by hand, ``reconcile`` asks the API.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from .._sqlite_files import open_sqlite
from .._validation import check_journal_path
from ..errors import InvalidJournalError, JournalError, JournalLockedError
from ._entries import AMBIGUOUS, JournalEntry, Record, State

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ._reconcile import Settlement

__all__ = ["AMBIGUOUS", "Journal", "JournalEntry", "Record", "State"]

# Marks a file as a bulk journal (SQLite's application_id header field): any other
# database is refused, never written into.
_APPLICATION_ID = 0x45415359  # "EASY"

# The table as the first journals made it; ``item`` and ``attempted_at`` came later and
# are added to such a journal when it is opened.
_FIRST_SCHEMA = """
CREATE TABLE items (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    remote_id TEXT,
    error TEXT,
    run_id TEXT NOT NULL
)
"""
_ADDED_COLUMNS = {"item": "TEXT", "attempted_at": "TEXT"}

# attempted_at is the first attempt that may have acted: kept while the row stays
# ambiguous, set anew by an attempt after a state in which nothing had gone out.
_UPSERT = """
INSERT INTO items (key, fingerprint, state, remote_id, error, run_id, item, attempted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
    fingerprint = excluded.fingerprint,
    state = excluded.state,
    remote_id = excluded.remote_id,
    error = excluded.error,
    run_id = excluded.run_id,
    item = coalesce(excluded.item, items.item),
    attempted_at = CASE
        WHEN excluded.state = 'in_flight'
            AND NOT (items.state IN ('in_flight', 'maybe_sent') AND items.attempted_at IS NOT NULL)
        THEN excluded.attempted_at
        ELSE items.attempted_at
    END
"""


class Journal:
    """One SQLite file (WAL, synchronous=FULL) holding the state of every item by key.

    Open one to look at a run's rows and settle those that may have been sent::

        async with await Journal.open("run.db") as journal:
            for entry in await journal.entries(states=AMBIGUOUS):
                print(entry.key, entry.state, entry.error)
            await journal.resolve("row-7", sent=True, remote_id="31533")
            settled = await journal.reconcile(easify)  # asks the API what it recorded

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
            ArgumentError: ``path`` is not a path.
            InvalidJournalError: the path cannot hold a journal.
            JournalLockedError: another run holds it.
        """
        self._path = check_journal_path("path", path)
        self._db = _connect(self._path)
        self._one_at_a_time = anyio.CapacityLimiter(1)

    @classmethod
    async def open(cls, path: str | os.PathLike[str]) -> Journal:
        """`Journal` (path), opened in a worker thread."""
        return await anyio.to_thread.run_sync(cls, path)

    async def __aenter__(self) -> Journal:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def entries(self, *, states: Iterable[State] | None = None) -> list[JournalEntry]:
        """The journal's rows, in the order they were first written; only ``states``'."""
        wanted = None if states is None else tuple(states)
        return await anyio.to_thread.run_sync(self._entries, wanted, limiter=self._one_at_a_time)

    async def entry(self, key: str) -> JournalEntry | None:
        """The row of ``key``, if any."""
        found = await anyio.to_thread.run_sync(
            self._entries, None, key, limiter=self._one_at_a_time
        )
        return found[0] if found else None

    async def resolve(
        self, key: str, *, sent: bool, remote_id: str | None = None, note: str | None = None
    ) -> JournalEntry:
        """Settle ``key`` by hand: sent (with the server's id, if known) or not sent.

        A row settled sent is skipped by later runs (``ALREADY_SENT``); one settled not
        sent is sent by the next run with this journal.

        Raises:
            JournalError: the journal has no row ``key``, or ``remote_id`` with ``sent=False``.
        """
        if remote_id is not None and not sent:
            raise JournalError("a row not sent has no remote id", key=key)
        entry = await self.entry(key)
        if entry is None:
            raise JournalError(f"journal {self._path!r} has no row with this key", key=key)
        if note is None:
            note = f"settled by hand: {'sent' if sent else 'not sent'} (was {entry.state})"
        update = ("sent" if sent else "not_sent", remote_id, note, key)
        await anyio.to_thread.run_sync(self._settle, update, limiter=self._one_at_a_time)
        settled = await self.entry(key)
        if settled is None:  # another process cannot delete it: the file is locked
            raise JournalError(f"journal {self._path!r} lost the row", key=key)
        return settled

    async def reconcile(
        self, easify: AsyncEasify, *, server_timezone: dt.tzinfo | str | None = None
    ) -> list[Settlement]:
        """Settle the rows that may have been sent from what the API recorded.

        For each ambiguous row: an SMS is looked up in the SMS report (the same sender,
        recipient and text, sent since the row's first attempt), a contact among its
        group's contacts (the same phone number, or email address without one). Found
        once and owned by no other row: sent, with the server's id. Certainly absent:
        not sent (the next run sends it). Otherwise (found twice, an email, which the
        API cannot look up without its id, a journal of an older version that kept no
        content) it stays ambiguous, with the reason. Only reads are made, through the
        read limit (60/min); no send slot is used.

        Args:
            easify: the client of the token that ran the journal.
            server_timezone: the account's timezone, in which the API's times are given
                (they carry none); when unknown, a record up to 14 hours older than the
                attempt is still taken for it.

        Returns:
            One `Settlement` per row that was ambiguous, in journal order.
        """
        from ._reconcile import reconcile

        return await reconcile(self, easify, server_timezone=server_timezone)

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
        item: dict[str, Any] | None = None,
    ) -> None:
        """Record ``key``'s state, durably, before returning.

        ``item`` (what is sent) is kept for ``reconcile``; an ``in_flight`` write notes
        the attempt's time.
        """
        content = None if item is None else json.dumps(item, sort_keys=True)
        now = dt.datetime.now(dt.timezone.utc).isoformat() if state == "in_flight" else None
        row = (key, fingerprint, state, remote_id, error, run_id, content, now)
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

    def _write(self, row: tuple[str | None, ...]) -> None:
        try:
            self._db.execute(_UPSERT, row)
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self._path!r} could not be written: {exc}") from exc

    def _settle(self, update: tuple[str | None, ...]) -> None:
        try:
            self._db.execute(
                "UPDATE items SET state = ?, remote_id = ?, error = ?, run_id = 'settled' "
                "WHERE key = ?",
                update,
            )
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self._path!r} could not be written: {exc}") from exc

    def _entries(
        self, states: tuple[State, ...] | None, key: str | None = None
    ) -> list[JournalEntry]:
        query = "SELECT key, state, remote_id, error, attempted_at, item FROM items"
        where, arguments = [], []
        if key is not None:
            where.append("key = ?")
            arguments.append(key)
        if states is not None:
            where.append(f"state IN ({', '.join('?' * len(states))})")
            arguments.extend(states)
        if where:
            query += " WHERE " + " AND ".join(where)
        try:
            rows = self._db.execute(query + " ORDER BY rowid", arguments).fetchall()
        except sqlite3.Error as exc:
            raise JournalError(f"journal {self._path!r} could not be read: {exc}") from exc
        return [
            JournalEntry(
                key=key,
                state=state,
                remote_id=remote_id,
                error=error,
                attempted_at=None if attempted is None else dt.datetime.fromisoformat(attempted),
                item={} if item is None else json.loads(item),
            )
            for key, state, remote_id, error, attempted, item in rows
        ]


def _connect(path: str) -> sqlite3.Connection:
    # timeout=0: a journal held by another run is refused now, not after a wait.
    db = open_sqlite(path, timeout=0)
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
        if application_id == 0 and schema in ([], [_FIRST_SCHEMA.strip()]):
            # A new or empty file, or a journal from before files were marked.
            if not schema:
                db.execute(_FIRST_SCHEMA)
            db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
        elif application_id != _APPLICATION_ID:
            raise InvalidJournalError(path, "is an SQLite database, but not a bulk journal")
        columns = {row[1] for row in db.execute("PRAGMA table_info(items)")}
        for name, kind in _ADDED_COLUMNS.items():
            if name not in columns:
                db.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise JournalLockedError(path) from exc
        raise InvalidJournalError(path, f"cannot be used ({exc})") from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        raise InvalidJournalError(path, "is not a journal (not an SQLite database)") from exc
