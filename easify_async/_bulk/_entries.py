"""A journal's rows as values: their states, and what `Journal.entries` lists.

Apart from the journal itself, so that settling rows (`reconcile`) reads them without
importing the journal that calls it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from attrs import frozen

__all__ = ["AMBIGUOUS", "JournalEntry", "Record", "State"]

State = Literal["in_flight", "sent", "failed", "maybe_sent", "not_sent"]

#: States whose item may have been sent: what ``resolve`` and ``reconcile`` settle.
AMBIGUOUS: tuple[State, ...] = ("in_flight", "maybe_sent")


@frozen
class Record:
    """What the journal holds for one key."""

    fingerprint: str
    state: State
    remote_id: str | None
    error: str | None
    run_id: str


@frozen
class JournalEntry:
    """One row of a journal, as `Journal.entries` lists it.

    Attributes:
        key: the item's key.
        state: ``sent``, ``failed``, ``not_sent``, ``maybe_sent``, or ``in_flight`` (a run
            was cut off mid-request: it may have been sent).
        remote_id: the server's id (``sms_id``, ``email_id``, contact id), when sent.
        error: what the last run (or a settlement) noted.
        attempted_at: when (UTC) the first request that may have acted went out.
        item: what was sent: ``kind`` (``sms``, ``email``, ``email_v3``, ``contact``)
            and the send's text arguments; empty in journals of older versions.
    """

    key: str
    state: State
    remote_id: str | None
    error: str | None
    attempted_at: dt.datetime | None
    item: dict[str, Any]

    @property
    def ambiguous(self) -> bool:
        """Whether the item may have been sent: ``in_flight`` or ``maybe_sent``."""
        return self.state in AMBIGUOUS
