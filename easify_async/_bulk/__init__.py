"""Bulk sending: streaming, rate-limited, journaled.

The names load on first use: an endpoint group builds its calls' items from `_models`
alone, without the engine, the journal and SQLite.
"""

from typing import TYPE_CHECKING

__all__ = [
    "AMBIGUOUS",
    "BulkProgress",
    "BulkResult",
    "BulkRun",
    "ContactResult",
    "EmailMessage",
    "EmailResult",
    "EmailV3Message",
    "EmailV3Result",
    "Item",
    "Journal",
    "JournalEntry",
    "NewContact",
    "Outcome",
    "SmsMessage",
    "Settlement",
    "SmsResult",
    "describe_eta",
    "estimate_duration",
]

if TYPE_CHECKING:
    from ._eta import describe_eta, estimate_duration
    from ._journal import AMBIGUOUS, Journal, JournalEntry
    from ._models import (
        BulkProgress,
        BulkResult,
        ContactResult,
        EmailMessage,
        EmailResult,
        EmailV3Message,
        EmailV3Result,
        Item,
        NewContact,
        Outcome,
        SmsMessage,
        SmsResult,
    )
    from ._reconcile import Settlement
    from ._runner import BulkRun
else:
    from .._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(
        globals(),
        dict.fromkeys(__all__, ("._models", "._journal", "._eta", "._reconcile", "._runner")),
    )
