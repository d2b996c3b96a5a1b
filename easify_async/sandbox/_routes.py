"""The routes the sandbox serves: each row of the SDK's route table with its handler.

An endpoint is one line in its group's module (``ROUTES``): the SDK's row (method, path,
version, bucket, documented limit, spec §1.8 and §2) and the handler that serves it.
``ENDPOINTS`` is in the table's order; a test checks that every row has one handler and
every handler a row.
"""

from __future__ import annotations

from .._routes import ROUTES
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

_GROUPS: tuple[Endpoint, ...] = (
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

ENDPOINTS: tuple[Endpoint, ...] = tuple(sorted(_GROUPS, key=lambda e: ROUTES.index(e.route)))
