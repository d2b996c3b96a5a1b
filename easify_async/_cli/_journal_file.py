"""The ``--journal`` file, seen from the command line: usable, and what it already holds."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import click

__all__ = ["check_journal", "count_done"]

# What a resumed run skips without a request: sent and failed rows, and rows of unknown
# fate unless --resend-ambiguous (then only not_sent rows go out again, with new ones).
_DONE = ("sent", "failed")
_AMBIGUOUS = ("in_flight", "maybe_sent")


def check_journal(journal: str, csv_file: str) -> None:
    """A usage error, before anything is sent, for a journal the run could not use."""
    path = Path(journal)
    if not path.parent.is_dir():
        raise click.BadParameter(
            f"no folder {str(path.parent)!r} to hold it", param_hint="--journal"
        )
    if path.exists() and os.path.samefile(path, csv_file):
        raise click.BadParameter(
            "is the CSV file itself: name a new file (run.db)", param_hint="--journal"
        )
    if path.exists():
        with closing(_connect(journal)) as db:
            try:
                db.execute("PRAGMA schema_version").fetchone()
            except sqlite3.OperationalError:
                pass  # locked or unreadable right now: the run itself reports it
            except sqlite3.DatabaseError as exc:
                raise click.BadParameter(
                    f"not a journal (an SQLite file): {exc}", param_hint="--journal"
                ) from None


def count_done(journal: str, keys: Iterable[str], *, resend_ambiguous: bool) -> int:
    """How many of ``keys`` a run with ``journal`` will skip; 0 when it cannot tell.

    Only for the ETA: the run itself reads the journal again, item by item.
    """
    if not Path(journal).exists():
        return 0
    skipped = _DONE if resend_ambiguous else _DONE + _AMBIGUOUS
    try:
        with closing(_connect(journal)) as db:
            done = 0
            for key in keys:
                row = db.execute("SELECT state FROM items WHERE key = ?", (key,)).fetchone()
                done += row is not None and row[0] in skipped
            return done
    except sqlite3.Error:  # no items table yet, or a locked file: no estimate
        return 0


def _connect(journal: str) -> sqlite3.Connection:
    """A read-only connection: looking must not create or change the file."""
    return sqlite3.connect(f"file:{quote(os.path.abspath(journal))}?mode=ro", uri=True)
