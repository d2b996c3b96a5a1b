"""What the SDK's ledgers share: their lease and wait, checked once, read as the
protocol says."""

from __future__ import annotations

from .._validation import check_seconds, check_wait

__all__ = ["Leased"]


class Leased:
    """A ledger's `Ledger.lease` and `Ledger.wait`, checked when it is made.

    The SDK's stores derive from it (its properties satisfy the protocol's); their
    meaning is documented once, on `Ledger`.
    """

    def __init__(self, *, lease: float, wait: float) -> None:
        self._lease = check_seconds("lease", lease)
        self._wait = check_wait("wait", wait)

    @property
    def lease(self) -> float:
        """See `Ledger.lease`."""
        return self._lease

    @property
    def wait(self) -> float:
        """See `Ledger.wait`."""
        return self._wait
