"""Verify, parse and serve Easify's signed delivery webhooks.

Example:
    >>> from easify_async.webhooks import verify_sms_event
    >>> event = verify_sms_event(body, headers, secret=SECRET)  # doctest: +SKIP
    >>> event.status, event.receiver  # doctest: +SKIP

Framework adapters live in `easify_async.webhooks.fastapi` and
`easify_async.webhooks.aiohttp` (extras ``fastapi``, ``aiohttp``); ``RedisReplayGuard``
needs the extra ``redis``. This module imports none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    EventTooOldError,
    InvalidSignatureError,
    MalformedPayloadError,
    ReplayGuardUnavailableError,
    TimestampOutOfRangeError,
    WebhookVerificationError,
)
from ._events import EmailEvent, EmailEventKind, SmsEvent
from ._replay import MemoryReplayGuard, ReplayGuard
from ._signing import sign
from ._status import StatusTracker
from ._verify import MAX_BODY_BYTES, verify_email_events, verify_sms_event

if TYPE_CHECKING:
    from ._redis_replay import RedisReplayGuard

__all__ = [
    "MAX_BODY_BYTES",
    "EmailEvent",
    "EmailEventKind",
    "EventTooOldError",
    "InvalidSignatureError",
    "MalformedPayloadError",
    "MemoryReplayGuard",
    "RedisReplayGuard",
    "ReplayGuard",
    "ReplayGuardUnavailableError",
    "SmsEvent",
    "StatusTracker",
    "TimestampOutOfRangeError",
    "WebhookVerificationError",
    "sign",
    "verify_email_events",
    "verify_sms_event",
]


def __getattr__(name: str) -> Any:
    # redis is an optional extra: import it only when RedisReplayGuard is asked for.
    if name == "RedisReplayGuard":
        from ._redis_replay import RedisReplayGuard

        return RedisReplayGuard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
