"""The keys a run has seen, exactly, in constant memory."""

from __future__ import annotations

import sqlite3

__all__ = ["SeenKeys"]


class SeenKeys:
    """Every key taken from the input so far, in a private temporary SQLite database.

    A set would grow by ~90 MB per million keys; SQLite keeps a small page cache and
    spills the rest to a temporary file that vanishes on close (a few µs per key).
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)  # "": temporary, on disk
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE keys (key TEXT PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: str) -> bool:
        """Note ``key``; whether it is new."""
        cursor = self._db.execute("INSERT OR IGNORE INTO keys VALUES (?)", (key,))
        return cursor.rowcount == 1

    def close(self) -> None:
        """Drop the keys."""
        self._db.close()
