"""What the SDK's ledgers share: their lease, wait and retention, checked once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._validation import check_seconds, check_wait

if TYPE_CHECKING:
    from ._entry import RecordedError

__all__ = ["Leased"]


class Leased:
    """A ledger's `Ledger.lease` and `Ledger.wait`, and how long it keeps a settled key,
    checked when it is made.

    The SDK's stores derive from it (its properties satisfy the protocol's); their
    meaning is documented once, on `Ledger`.
    """

    def __init__(self, *, lease: float, wait: float, keep: float | None) -> None:
        self._lease = check_seconds("lease", lease)
        self._wait = check_wait("wait", wait)
        self._keep = None if keep is None else check_seconds("keep", keep)

    @property
    def lease(self) -> float:
        """See `Ledger.lease`."""
        return self._lease

    @property
    def wait(self) -> float:
        """See `Ledger.wait`."""
        return self._wait

    @property
    def keep(self) -> float | None:
        """Seconds a key whose outcome is known (sent, or refused) is kept after it was
        recorded or settled; ``None``: kept for good. A key whose outcome is unknown is
        kept until settled, whatever ``keep``."""
        return self._keep

    def final(self, error: RecordedError | None) -> bool:
        """Whether an outcome ends its key's life (``keep`` counts from it): a result, or
        an error that certainly did not act. One that may have acted stays until settled."""
        return error is None or not error.maybe_sent
