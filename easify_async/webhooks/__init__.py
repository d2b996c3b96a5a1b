"""Verify, parse and serve Easify's signed delivery webhooks.

Examples:
    >>> from easify_async.webhooks import verify_sms_event
    >>> event = verify_sms_event(body, headers, secret=SECRET)  # doctest: +SKIP
    >>> event.status, event.receiver  # doctest: +SKIP

Framework adapters live in `easify_async.webhooks.fastapi` and
`easify_async.webhooks.aiohttp` (extras ``fastapi``, ``aiohttp``); ``RedisReplayGuard``
needs the extra ``redis``. This module imports none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
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


# redis is an optional extra: RedisReplayGuard (and redis with it) loads when asked for.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_names(globals(), {"RedisReplayGuard": "._redis_replay"})
