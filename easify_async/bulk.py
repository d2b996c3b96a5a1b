"""Bulk sending and contact imports: item specs, results, progress and time estimates.

Examples:
    >>> from easify_async.bulk import SmsMessage
    >>> rows = [SmsMessage(from_number="3152930000", to_number=n, message="Hi", key=n)
    ...         for n in ("+13151350001", "+13151350002")]
    >>> async for result in easify.sms.send_many(rows, journal="run.db"):  # doctest: +SKIP
    ...     print(result.key, result.outcome, result.sms_id or result.error)

Rows left "maybe sent" (a lost reply, a killed run) are settled with `Journal`: by hand
(``resolve``) or from what the API recorded (``reconcile``).
"""

from ._bulk import (
    AMBIGUOUS,
    BulkProgress,
    BulkResult,
    ContactResult,
    EmailMessage,
    EmailResult,
    EmailV3Message,
    EmailV3Result,
    Journal,
    JournalEntry,
    NewContact,
    Outcome,
    Settlement,
    SmsMessage,
    SmsResult,
    describe_eta,
    estimate_duration,
)
from .errors import (
    BulkStoppedError,
    DuplicateKeyError,
    InvalidJournalError,
    JournalError,
    JournalLockedError,
    KeyConflictError,
    RecordedFailureError,
    UnknownOutcomeError,
)

__all__ = [
    "AMBIGUOUS",
    "BulkProgress",
    "BulkResult",
    "BulkStoppedError",
    "ContactResult",
    "DuplicateKeyError",
    "EmailMessage",
    "EmailResult",
    "EmailV3Message",
    "EmailV3Result",
    "InvalidJournalError",
    "Journal",
    "JournalEntry",
    "JournalError",
    "JournalLockedError",
    "KeyConflictError",
    "NewContact",
    "Outcome",
    "RecordedFailureError",
    "Settlement",
    "SmsMessage",
    "SmsResult",
    "UnknownOutcomeError",
    "describe_eta",
    "estimate_duration",
]
