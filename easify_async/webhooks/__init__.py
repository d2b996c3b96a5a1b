"""Verify, parse and serve Easify's signed delivery webhooks.

Example:
    >>> from easify_async.webhooks import verify_sms_event
    >>> event = verify_sms_event(body, headers, secret=SECRET)  # doctest: +SKIP
    >>> event.status, event.receiver  # doctest: +SKIP

Framework adapters live in `easify_async.webhooks.fastapi` and
`easify_async.webhooks.aiohttp` (extras ``fastapi``, ``aiohttp``); this module imports
neither.
"""

from ._errors import (
    InvalidSignatureError,
    MalformedPayloadError,
    TimestampOutOfRangeError,
    WebhookVerificationError,
)
from ._events import EmailEvent, EmailEventKind, SmsEvent
from ._replay import MemoryReplayGuard, ReplayGuard
from ._signing import sign
from ._status import StatusTracker
from ._verify import MAX_BODY_BYTES, verify_email_events, verify_sms_event

__all__ = [
    "MAX_BODY_BYTES",
    "EmailEvent",
    "EmailEventKind",
    "InvalidSignatureError",
    "MalformedPayloadError",
    "MemoryReplayGuard",
    "ReplayGuard",
    "SmsEvent",
    "StatusTracker",
    "TimestampOutOfRangeError",
    "WebhookVerificationError",
    "sign",
    "verify_email_events",
    "verify_sms_event",
]
