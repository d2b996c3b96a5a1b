"""The routes the sandbox serves: each API group's rows, in the spec's order (§2).

An endpoint is one row in its group's module (``ROUTES``): method, Laravel's route URI,
rate-limit bucket, limit per window (the docs', spec §1.8) and handler.
"""

from __future__ import annotations

from . import (
    _api_campaigns,
    _api_contact_groups,
    _api_contacts,
    _api_email,
    _api_email_v3,
    _api_phone_numbers,
    _api_sms,
    _api_sub_users,
    _api_voice_calls,
)
from ._routing import Endpoint

__all__ = ["ENDPOINTS"]

ENDPOINTS: tuple[Endpoint, ...] = (
    *_api_sms.ROUTES,
    *_api_campaigns.ROUTES,
    *_api_email.ROUTES,
    *_api_email_v3.ROUTES,
    *_api_phone_numbers.ROUTES,
    *_api_contact_groups.ROUTES,
    *_api_contacts.ROUTES,
    *_api_voice_calls.ROUTES,
    *_api_sub_users.ROUTES,
)
