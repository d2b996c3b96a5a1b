"""A ledger's record of one key, as a value: its state, claimer, outcome."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from typing import Any, Literal

from attrs import field, frozen

__all__ = ["LedgerEntry", "RecordedError", "State", "new_claimer"]

State = Literal["in_progress", "completed", "failed"]


@frozen(kw_only=True)
class RecordedError:
    """The error a call with the key ended with, as the ledger keeps it.

    Attributes:
        type: the error's class name, e.g. ``"InvalidRecipientError"``.
        message: its message (the server's, for a refusal).
        maybe_sent: whether the request may have acted (then the key's outcome is
            unknown until settled); ``False`` for a refusal of the request.
        status_code: the HTTP status of a refusal.
        errors: a validation refusal's field errors.
    """

    type: str
    message: str
    maybe_sent: bool
    status_code: int | None = None
    errors: dict[str, list[str]] = field(factory=dict)


@frozen(kw_only=True)
class LedgerEntry:
    """What a ledger holds for one idempotency key.

    Attributes:
        key: the idempotency key.
        state: ``in_progress`` (claimed, no outcome yet), ``completed`` (sent; ``result``
            holds the result's `to_dict` data, or ``None`` when settled by hand without
            one) or ``failed`` (``error`` says how).
        fingerprint: the hash of the route and request the key was claimed for.
        claimer: who claimed it (host, process id, a random part); ``"settled"`` once
            settled by hand.
        heartbeat_at: when (UTC) the claimer last said it was alive, while in progress.
        claimer_alive: whether the claimer's lease runs (it heartbeats while its request
            is under way); ``False`` for an entry in progress means the claimer died
            mid-request, so the outcome is unknown.
        result: the recorded result's `to_dict` data.
        error: the recorded error.
        note: what a settlement by hand noted.
        item: what a reconcile needs to look the request up, kept at claim: ``kind``
            (``sms``, ``contact``, ``email``, ``email_v3``, ``campaign``,
            ``contact_group``) and, for an SMS, ``from_number``, ``to_number``,
            ``country_code`` and ``message``; for a contact, ``group_id``,
            ``phone_number``, ``email_address`` and ``country_code`` (the shape of a bulk
            journal's `JournalEntry.item`). Empty for an entry of an older version.
        attempted_at: when (UTC) the key was claimed for its request, just before it
            went out; ``None`` for an entry of an older version.
    """

    key: str
    state: State
    fingerprint: str
    claimer: str | None = None
    heartbeat_at: dt.datetime | None = None
    claimer_alive: bool = False
    result: dict[str, Any] | None = None
    error: RecordedError | None = None
    note: str | None = None
    item: dict[str, Any] = field(factory=dict)
    attempted_at: dt.datetime | None = None

    @property
    def ambiguous(self) -> bool:
        """Whether the key's request may have been sent but its outcome is unknown: its
        claimer died mid-request, or the request failed in a way that may have acted."""
        if self.state == "in_progress":
            return not self.claimer_alive
        return self.state == "failed" and self.error is not None and self.error.maybe_sent


def new_claimer() -> str:
    """A claimer's name: the host, the process and a random part (each call its own)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
