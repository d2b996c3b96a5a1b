"""The public names of easify_async.webhooks: pinned, documented, redis imported lazily."""

from __future__ import annotations

import subprocess
import sys

import easify_async.webhooks as webhooks


def test_the_public_names_are_pinned_and_documented() -> None:
    """__all__ is the contract: sorted, exactly these names, each with a docstring."""
    assert webhooks.__all__ == sorted(webhooks.__all__, key=lambda n: (not n.isupper(), n))
    assert set(webhooks.__all__) == {
        "MAX_BODY_BYTES", "EmailEvent", "EmailEventKind", "EventTooOldError",
        "InvalidSignatureError", "MalformedPayloadError", "MemoryReplayGuard",
        "RedisReplayGuard", "ReplayGuard", "ReplayGuardUnavailableError", "SmsEvent",
        "StatusTracker", "TimestampOutOfRangeError", "WebhookVerificationError", "sign",
        "verify_email_events", "verify_sms_event",
    }  # fmt: skip
    for name in webhooks.__all__:
        assert getattr(webhooks, name).__doc__ or name == "MAX_BODY_BYTES", name


def test_redis_is_imported_only_when_the_redis_guard_is_asked_for() -> None:
    """`import easify_async.webhooks` leaves redis alone; building a RedisReplayGuard needs it."""
    code = (
        "import sys, easify_async.webhooks as w; before = 'redis' in sys.modules;"
        "w.RedisReplayGuard('redis://127.0.0.1:1'); print(before, 'redis' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
