"""Bulk sending: streaming, rate-limited, journaled."""

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
    send_arguments,
)
from ._reconcile import Settlement
from ._runner import BulkRun

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
    "send_arguments",
]
