"""What a ledger does: the operations the client's idempotency keys need from a store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from ._entry import LedgerEntry, RecordedError

__all__ = ["Ledger"]


@runtime_checkable
class Ledger(Protocol):
    """A store of idempotency keys shared by every client that sends with them.

    `SqliteLedger` (one machine) and ``RedisLedger`` (a fleet) implement it. Each
    operation is atomic and durable before it returns.

    Attributes:
        lease: seconds a claim stays alive without a heartbeat; a claimer heartbeats
            every third of it while its request is under way.
        wait: seconds a second caller waits for a live claimer's outcome before
            `KeyInProgressError`.
    """

    @property
    def lease(self) -> float: ...

    @property
    def wait(self) -> float: ...

    async def claim(
        self,
        key: str,
        fingerprint: str,
        *,
        claimer: str,
        item: Mapping[str, Any] | None = None,
    ) -> LedgerEntry | None:
        """Claim ``key`` for ``claimer``: ``None`` when claimed now, else the entry that
        holds the key (in progress, completed or failed), unchanged.

        A claim keeps ``item`` (what a reconcile looks the request up by: `LedgerEntry.item`)
        and its time (`LedgerEntry.attempted_at`)."""
        ...

    async def heartbeat(self, key: str, *, claimer: str) -> bool:
        """Renew ``claimer``'s lease of ``key``; whether it still holds the key."""
        ...

    async def record(
        self,
        key: str,
        *,
        claimer: str,
        result: Mapping[str, Any] | None = None,
        error: RecordedError | None = None,
    ) -> bool:
        """Record the outcome of ``claimer``'s request: its result's data (completed) or
        its error (failed); whether it still held the key (otherwise nothing is written)."""
        ...

    async def release(self, key: str, *, claimer: str) -> bool:
        """Forget ``claimer``'s claim: its request certainly did not act (nothing went
        out, or the server refused it for the account, not the request)."""
        ...

    async def entry(self, key: str) -> LedgerEntry | None:
        """The entry of ``key``, if any."""
        ...

    async def ambiguous(self) -> list[LedgerEntry]:
        """The entries whose outcome is unknown (`LedgerEntry.ambiguous`): recorded maybe
        sent, or in progress with their claimer gone. What ``reconcile`` settles."""
        ...

    async def completed(self) -> list[LedgerEntry]:
        """The completed entries (sent). ``reconcile`` reads them so that a record one of
        them owns (an SMS of the same text to the same number) is never taken for an
        ambiguous key's."""
        ...

    async def settle(
        self,
        key: str,
        *,
        sent: bool,
        result: Mapping[str, Any] | None = None,
        note: str | None = None,
        only_if_unknown: bool = False,
    ) -> LedgerEntry | None:
        """Settle a key whose outcome is unknown, by hand or by a reconcile.

        Sent: the key is completed (with ``result``, a result's `to_dict` data, when
        known); later calls return that result, or raise `UnknownOutcomeError` saying
        it was sent when there is none. Not sent: the key is forgotten, so the next call
        with it sends; returns ``None``. By hand, a key settled before may be settled
        again (a mistake undone).

        ``only_if_unknown``: settle only while the key's outcome is unknown (its claimer
        gone, or an error that may have acted), checked in the same transaction: a
        reconcile's, so that a claimer that came back and recorded its outcome since
        the key was read keeps it.

        Raises:
            JournalError: the ledger has no entry for ``key``, or (``only_if_unknown``)
                its outcome is known.
            KeyInProgressError: a live claimer holds it.
        """
        ...

    async def aclose(self) -> None:
        """Close the store's connection, if the ledger opened it."""
        ...
