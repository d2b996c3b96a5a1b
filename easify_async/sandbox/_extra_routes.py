"""The routes of the senders, v3 email, voice-call and sub-user endpoints, and their limits."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from . import _handlers_accounts, _handlers_email_v3

__all__ = ["EXTRA_LIMITS", "EXTRA_ROUTES"]

#: Requests per window of each bucket (spec §1.8).
EXTRA_LIMITS = {
    "email_senders": 60,
    "email_v3_send": 15,
    "email_v3_status": 60,
    "voice_call_history": 60,
    "sub_user_tokens": 60,
}

#: (method, path under the server root, bucket, handler).
EXTRA_ROUTES: list[tuple[str, str, str, Callable[..., Response]]] = [
    ("GET", "/api/v2/email/senders", "email_senders", _handlers_email_v3.senders),
    ("POST", "/api/v3/email/send", "email_v3_send", _handlers_email_v3.v3_send),
    ("GET", "/api/v3/email/status", "email_v3_status", _handlers_email_v3.v3_status),
    ("GET", "/api/v2/voice-call/history", "voice_call_history", _handlers_accounts.call_history),
    ("GET", "/api/v2/sub-user/tokens", "sub_user_tokens", _handlers_accounts.sub_user_tokens),
]
