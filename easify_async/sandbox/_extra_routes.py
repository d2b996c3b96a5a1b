"""The route-table rows of the senders, v3 email, voice-call and sub-user endpoints."""

from __future__ import annotations

from . import _handlers_accounts, _handlers_email_v3
from ._routing import Endpoint

__all__ = ["EXTRA_ENDPOINTS"]

#: Limits per window are the docs' (spec §1.8).
EXTRA_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET", "api/v2/email/senders", "email_senders", 60, _handlers_email_v3.senders),
    Endpoint("POST", "api/v3/email/send", "email_v3_send", 15, _handlers_email_v3.v3_send),
    Endpoint("GET", "api/v3/email/status", "email_v3_status", 60, _handlers_email_v3.v3_status),
    Endpoint(
        "GET",
        "api/v2/voice-call/history",
        "voice_call_history",
        60,
        _handlers_accounts.call_history,
    ),
    Endpoint(
        "GET", "api/v2/sub-user/tokens", "sub_user_tokens", 60, _handlers_accounts.sub_user_tokens
    ),
)
