"""The embedded ledger: idempotency keys in one SQLite file, shared by the processes of
one machine."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from .._sqlite_files import open_sqlite
from .._validation import check_journal_path
from ..errors import InvalidJournalError, JournalError, KeyInProgressError, LedgerUnavailableError
from ._entry import LedgerEntry, RecordedError
from ._leased import Leased
from ._values import error_data, error_from_data

__all__ = ["SqliteLedger"]

T = TypeVar("T")

# Marks a file as a ledger (SQLite's application_id header field), apart from a journal.
_APPLICATION_ID = 0x45414C47  # "EALG"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    claimer TEXT,
    heartbeat REAL,
    result TEXT,
    error TEXT,
    note TEXT,
    item TEXT,
    attempted REAL,
    settled REAL
)
"""
_COLUMNS = "key, fingerprint, state, claimer, heartbeat, result, error, note, item, attempted"
# Columns a ledger of an older version lacks: added when it is opened (its entries read
# without them: a reconcile cannot look those up).
_ADDED = {"item": "TEXT", "attempted": "REAL", "settled": "REAL"}


class SqliteLedger(Leased):
    """Idempotency keys in an SQLite file (WAL, synchronous=FULL): the embedded ledger.

    Every process of one machine that opens the same file shares its keys; each
    operation is one transaction, committed to disk before it returns. A claimer's
    liveness is its heartbeat, by this machine's clock: a claim whose heartbeat is older
    than ``lease`` seconds belongs to a process that died mid-request.

    Examples:
        >>> ledger = SqliteLedger("sends.db")  # doctest: +SKIP
        >>> easify = AsyncEasify(ledger=ledger)  # doctest: +SKIP
        >>> await easify.sms.send(  # doctest: +SKIP
        ...     FROM, TO, message="Hi", idempotency_key="order-7"
        ... )

    Args:
        path: the SQLite file (created if missing; its folder must exist).
        lease: seconds a claim lives without a heartbeat.
        wait: seconds a second caller waits for a live claimer's outcome.
        keep: seconds a key whose outcome is known (sent, or refused) is kept after it
            was recorded or settled; then it is forgotten, and a call with it sends anew.
            ``None`` (the default) keeps every key for good. A key whose outcome is
            unknown is kept until it is settled.

    Raises:
        InvalidJournalError: the path cannot hold a ledger (a folder, another database).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lease: float = 15.0,
        wait: float = 30.0,
        keep: float | None = None,
    ) -> None:
        self._path = check_journal_path("path", path)
        super().__init__(lease=lease, wait=wait, keep=keep)
        self._db = _connect(self._path)
        self._one_at_a_time = anyio.CapacityLimiter(1)

    def __repr__(self) -> str:
        return f"<SqliteLedger path={self._path!r}>"

    async def claim(
        self,
        key: str,
        fingerprint: str,
        *,
        claimer: str,
        item: Mapping[str, Any] | None = None,
    ) -> LedgerEntry | None:
        """See `Ledger.claim`."""

        def claim() -> LedgerEntry | None:
            found = self._row(key)
            if found is not None:
                return found
            now = time.time()
            self._db.execute(
                "INSERT INTO keys (key, fingerprint, state, claimer, heartbeat, item, attempted) "
                "VALUES (?, ?, 'in_progress', ?, ?, ?, ?)",
                (key, fingerprint, claimer, now, _json(item), now),
            )
            return None

        return await self._run(claim, key)

    async def heartbeat(self, key: str, *, claimer: str) -> bool:
        """See `Ledger.heartbeat`."""
        return await self._update(
            "UPDATE keys SET heartbeat = ? WHERE key = ? AND claimer = ? AND state = 'in_progress'",
            (time.time(), key, claimer),
            key,
        )

    async def record(
        self,
        key: str,
        *,
        claimer: str,
        result: Mapping[str, Any] | None = None,
        error: RecordedError | None = None,
    ) -> bool:
        """See `Ledger.record`."""
        state = "failed" if error is not None else "completed"
        settled = time.time() if self.final(error) else None
        return await self._update(
            "UPDATE keys SET state = ?, result = ?, error = ?, heartbeat = NULL, settled = ? "
            "WHERE key = ? AND claimer = ? AND state = 'in_progress'",
            (state, _json(result), _json(error_data(error)), settled, key, claimer),
            key,
        )

    async def release(self, key: str, *, claimer: str) -> bool:
        """See `Ledger.release`."""
        return await self._update(
            "DELETE FROM keys WHERE key = ? AND claimer = ? AND state = 'in_progress'",
            (key, claimer),
            key,
        )

    async def entry(self, key: str) -> LedgerEntry | None:
        """See `Ledger.entry`."""
        return await self._run(lambda: self._row(key), key)

    async def ambiguous(self) -> list[LedgerEntry]:
        """See `Ledger.ambiguous`."""
        entries = await self._select("state IN ('in_progress', 'failed')")
        return [entry for entry in entries if entry.ambiguous]

    async def completed(self) -> list[LedgerEntry]:
        """See `Ledger.completed`."""
        return await self._select("state = 'completed'")

    async def _select(self, where: str) -> list[LedgerEntry]:
        def select() -> list[LedgerEntry]:
            query = f"SELECT {_COLUMNS} FROM keys WHERE {where} ORDER BY attempted, key"
            return list(map(self._entry, self._db.execute(query).fetchall()))

        return await self._run(select, None)

    async def settle(
        self,
        key: str,
        *,
        sent: bool,
        result: Mapping[str, Any] | None = None,
        note: str | None = None,
        only_if_unknown: bool = False,
    ) -> LedgerEntry | None:
        """See `Ledger.settle`."""

        def settle() -> LedgerEntry | None:
            found = self._row(key)
            if found is None:
                raise JournalError(f"ledger {self._path!r} has no entry for this key", key=key)
            if found.state == "in_progress" and found.claimer_alive:
                raise KeyInProgressError(key, found.claimer or "")
            if only_if_unknown and not found.ambiguous:
                raise JournalError("the key's outcome is known now: left as it is", key=key)
            if not sent:
                self._db.execute("DELETE FROM keys WHERE key = ?", (key,))
                return None
            self._db.execute(
                "UPDATE keys SET state = 'completed', claimer = 'settled', heartbeat = NULL, "
                "result = ?, error = NULL, note = ?, settled = ? WHERE key = ?",
                (
                    _json(result),
                    note or f"settled by hand: sent (was {found.state})",
                    time.time(),
                    key,
                ),
            )
            return self._row(key)

        return await self._run(settle, key)

    async def aclose(self) -> None:
        """Close the file."""
        self._db.close()

    def _row(self, key: str) -> LedgerEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM keys WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._entry(row)

    def _entry(self, row: tuple[Any, ...]) -> LedgerEntry:
        key, fingerprint, state, claimer, heartbeat, result, error, note, item, attempted = row
        return LedgerEntry(
            key=key,
            state=state,
            fingerprint=fingerprint,
            claimer=claimer,
            heartbeat_at=None
            if heartbeat is None
            else dt.datetime.fromtimestamp(heartbeat, dt.timezone.utc),
            claimer_alive=heartbeat is not None and heartbeat + self._lease > time.time(),
            result=None if result is None else json.loads(result),
            error=None if error is None else error_from_data(json.loads(error)),
            note=note,
            item={} if item is None else json.loads(item),
            attempted_at=None
            if attempted is None
            else dt.datetime.fromtimestamp(attempted, dt.timezone.utc),
        )

    async def _update(self, statement: str, arguments: tuple[Any, ...], key: str) -> bool:
        return await self._run(lambda: self._db.execute(statement, arguments).rowcount == 1, key)

    async def _run(self, work: Callable[[], T], key: str | None) -> T:
        """``work`` in one immediate transaction, in a worker thread (not cancellable:
        a write once begun is committed or rolled back, never left half done)."""

        def transaction() -> T:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    if self._keep is not None:  # (an index range: usually no row)
                        cutoff = time.time() - self._keep
                        self._db.execute("DELETE FROM keys WHERE settled <= ?", (cutoff,))
                    done = work()
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
                return done
            except sqlite3.Error as exc:
                raise LedgerUnavailableError(f"{self._path!r}: {exc}", key=key) from exc

        return await anyio.to_thread.run_sync(transaction, limiter=self._one_at_a_time)


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _connect(path: str) -> sqlite3.Connection:
    # Other processes share the file: wait for their transactions (each is short).
    db = open_sqlite(path, timeout=30)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application_id == 0 and tables == 0:
            db.execute(_SCHEMA)
            db.execute(f"PRAGMA application_id={_APPLICATION_ID}")
        elif application_id != _APPLICATION_ID:
            db.execute("ROLLBACK")
            raise InvalidJournalError(path, "is an SQLite database, but not a ledger")
        else:
            have = {row[1] for row in db.execute("PRAGMA table_info(keys)")}
            for name, kind in _ADDED.items():
                if name not in have:
                    db.execute(f"ALTER TABLE keys ADD COLUMN {name} {kind}")
        # What ``keep`` forgets, found without reading the table.
        db.execute("CREATE INDEX IF NOT EXISTS keys_settled ON keys (settled)")
        db.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise InvalidJournalError(path, f"cannot be used as a ledger ({exc})") from exc
    except BaseException:
        db.close()
        raise
    return db
