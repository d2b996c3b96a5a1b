"""Bulk sending: streaming, rate-limited, journaled."""

from ._eta import describe_eta, estimate_duration
from ._models import (
    BulkProgress,
    BulkResult,
    EmailMessage,
    EmailResult,
    EmailV3Message,
    EmailV3Result,
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
    "EmailMessage",
    "EmailResult",
    "EmailV3Message",
    "EmailV3Result",
    "Outcome",
    "SmsMessage",
    "SmsResult",
    "describe_eta",
    "estimate_duration",
    "send_arguments",
]
