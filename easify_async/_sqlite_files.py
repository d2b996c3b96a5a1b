"""Opening the SDK's SQLite files (a bulk run's journal, a ledger): one place that says
what is wrong with a path before SQLite would."""

from __future__ import annotations

import os
import sqlite3

from .errors import InvalidJournalError

__all__ = ["open_sqlite"]


def open_sqlite(path: str, *, timeout: float) -> sqlite3.Connection:
    """A connection to ``path`` in autocommit mode, usable from any thread (the callers
    run one statement at a time, from a worker thread); ``timeout`` is how long a
    statement waits for another process's lock.

    Raises:
        InvalidJournalError: its folder does not exist, it is a directory, or SQLite
            cannot open it.
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InvalidJournalError(path, f"its folder {folder!r} does not exist")
    if os.path.isdir(path):
        raise InvalidJournalError(path, "is a directory, not a file")
    try:
        return sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidJournalError(path, f"cannot be opened ({exc})") from exc
