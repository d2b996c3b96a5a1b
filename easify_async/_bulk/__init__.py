"""Bulk sending: streaming, rate-limited, journaled."""

from ._eta import describe_eta, estimate_duration
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
from ._runner import BulkRun

__all__ = [
    "BulkProgress",
    "BulkResult",
    "BulkRun",
    "ContactResult",
    "EmailMessage",
    "EmailResult",
    "EmailV3Message",
    "EmailV3Result",
    "Item",
    "NewContact",
    "Outcome",
    "SmsMessage",
    "SmsResult",
    "describe_eta",
    "estimate_duration",
    "send_arguments",
]
