"""The routes the sandbox serves: each row of the SDK's route table with its handler.

An endpoint is one line in its group's module (``ROUTES``): the SDK's row (method, path,
version, bucket, documented limit, spec §1.8 and §2) and the handler that serves it.
``ENDPOINTS`` is in the table's order; a test checks that every row has one handler and
every handler a row.
"""

from __future__ import annotations

from .._routes import ROUTES

# Each group's rows from its module, not through the package (`from . import`): the
# package's __init__ loads the sandbox, which loads this table (an import cycle).
from ._api_campaigns import ROUTES as _CAMPAIGNS
from ._api_contact_groups import ROUTES as _CONTACT_GROUPS
from ._api_contacts import ROUTES as _CONTACTS
from ._api_email import ROUTES as _EMAIL
from ._api_email_v3 import ROUTES as _EMAIL_V3
from ._api_phone_numbers import ROUTES as _PHONE_NUMBERS
from ._api_sms import ROUTES as _SMS
from ._api_sub_users import ROUTES as _SUB_USERS
from ._api_voice_calls import ROUTES as _VOICE_CALLS
from ._routing import Endpoint

__all__ = ["ENDPOINTS"]

_GROUPS: tuple[Endpoint, ...] = (
    *_SMS,
    *_CAMPAIGNS,
    *_EMAIL,
    *_EMAIL_V3,
    *_PHONE_NUMBERS,
    *_CONTACT_GROUPS,
    *_CONTACTS,
    *_VOICE_CALLS,
    *_SUB_USERS,
)

ENDPOINTS: tuple[Endpoint, ...] = tuple(sorted(_GROUPS, key=lambda e: ROUTES.index(e.route)))
