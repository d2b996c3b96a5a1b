"""Bulk stop rules: when a run stops itself before its end."""

from __future__ import annotations

from attrs import define

from ..errors import (
    APIError,
    AuthenticationError,
    BulkStoppedError,
    InsufficientCreditsError,
    InvalidGroupError,
    InvalidSenderError,
    PaymentRequiredError,
    PermissionDeniedError,
    UnknownOutcomeError,
)
from ._models import BulkResult, Outcome

__all__ = ["StopRules", "stops_run"]

#: Refusals that no other item of the run can pass: the token (401), the subscription
#: (402), the plan (403), the credits; and the sender or group, which a bulk run shares
#: between its items (a CLI run always does). Each stops the run (`BulkStoppedError`).
_RUN_REFUSALS: tuple[type[APIError], ...] = (
    AuthenticationError,
    PaymentRequiredError,
    PermissionDeniedError,
    InsufficientCreditsError,
    InvalidSenderError,
    InvalidGroupError,
)


def stops_run(error: BaseException | None) -> bool:
    """Whether ``error`` is a refusal no other item can pass, so that it stops a bulk run.

    They are the unknown token (`AuthenticationError`, 401), the ended subscription
    (`PaymentRequiredError`, 402), the plan (`PermissionDeniedError`, 403), no credits
    left (`InsufficientCreditsError`), a sender the token does not own
    (`InvalidSenderError`) and an unknown contact group (`InvalidGroupError`). The item
    refused so is ``NOT_SENT``: the refusal is the account's or the run's, not the item's,
    so a rerun once the cause is fixed sends it.
    """
    return isinstance(error, _RUN_REFUSALS)


@define
class StopRules:
    """A run's stop rules, fed each result: a refusal `stops_run`, or ``max_failures``
    results in a row that are not sent (``FAILED``, ``NOT_SENT``, ``MAYBE_SENT``).

    A sent item resets the count; skipped items and an earlier run's maybe-sent ones
    (reported from the journal) are no results of this run and leave it as it is.
    """

    max_failures: int | None = None
    in_a_row: int = 0

    def check(self, result: BulkResult) -> BulkStoppedError | None:
        """Why the run must stop after ``result``, or None."""
        if result.skipped or isinstance(result.error, UnknownOutcomeError):
            return None
        error = result.error
        if error is not None and stops_run(error):
            return BulkStoppedError(result.key, error)
        if result.outcome is Outcome.SENT:
            self.in_a_row = 0
            return None
        self.in_a_row += 1
        if self.max_failures is not None and self.in_a_row >= self.max_failures:
            last = error or RuntimeError(result.outcome.value)
            return BulkStoppedError(result.key, last, failures=self.in_a_row)
        return None
