"""The API routes the client calls, and the facts about each that the stack needs.

This table is the one place where an endpoint's method, path, rate-limit bucket and
documented limit are written down.
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen

from ._rate_limits import RateLimit

__all__ = [
    "BUCKETS",
    "CAMPAIGN_ITEMS",
    "CAMPAIGN_SEND",
    "CAMPAIGN_STATUS",
    "CONTACT_GROUPS",
    "CONTACT_GROUPS_CREATE",
    "CONTACT_GROUPS_DELETE",
    "CONTACT_GROUPS_UPDATE",
    "CONTACTS",
    "CONTACTS_CREATE",
    "CONTACTS_DELETE",
    "CONTACTS_UPDATE",
    "EMAIL_SEND",
    "EMAIL_SENDERS",
    "EMAIL_V3_SEND",
    "EMAIL_V3_STATUS",
    "PHONE_NUMBERS",
    "PHONE_NUMBERS_UPDATE",
    "ROUTE_EXTENSION",
    "SMS_CHAT_HISTORY",
    "SMS_REPORT",
    "SMS_SEND",
    "SMS_STATUS",
    "SMS_TEMPLATES",
    "SUB_USER_TOKENS",
    "VOICE_CALL_HISTORY",
    "Route",
]

#: Key under which a request carries its `Route` through the transport stack.
ROUTE_EXTENSION = "easify.route"

_PER_MINUTE_15 = RateLimit(15, 60.0)
_PER_MINUTE_60 = RateLimit(60, 60.0)


@frozen
class Route:
    """One endpoint.

    Attributes:
        method: the HTTP method.
        path: relative to the base URL (``.../api/v2``).
        bucket: the name of its rate-limit bucket (see `RateLimits.limit_for`).
        limit: its documented limit, used unless `RateLimits` sets another.
        idempotent: whether repeating it can do no harm (a send is not).
        version: the API version whose base URL ``path`` is relative to: ``"v2"``
            (the client's ``base_url``) or ``"v3"`` (the same URL ending in ``/v3``).
    """

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    bucket: str
    limit: RateLimit
    idempotent: bool
    version: Literal["v2", "v3"] = "v2"


SMS_SEND = Route("POST", "sms/send", "sms_send", _PER_MINUTE_15, idempotent=False)
SMS_STATUS = Route("GET", "sms/status", "sms_status", _PER_MINUTE_60, idempotent=True)
SMS_REPORT = Route("GET", "sms/report", "sms_report", _PER_MINUTE_60, idempotent=True)
SMS_CHAT_HISTORY = Route(
    "GET", "sms/chat-history", "sms_chat_history", _PER_MINUTE_60, idempotent=True
)
SMS_TEMPLATES = Route("GET", "sms/templates", "sms_templates", _PER_MINUTE_60, idempotent=True)
# The docs state no limit for a campaign send. An unstated limit is not no limit: keep to
# 15 per minute, the API's tightest documented limit for anything that sends or creates,
# which costs nothing in practice (a campaign is one call for up to 10,000 recipients).
CAMPAIGN_SEND = Route(
    "POST", "sms/campaign/send", "campaign_send", _PER_MINUTE_15, idempotent=False
)
CAMPAIGN_STATUS = Route(
    "GET", "sms/campaign/status", "campaign_status", _PER_MINUTE_60, idempotent=True
)
CAMPAIGN_ITEMS = Route(
    "GET", "sms/campaign/items", "campaign_items", _PER_MINUTE_60, idempotent=True
)
EMAIL_SEND = Route("POST", "email/send", "email_send", _PER_MINUTE_15, idempotent=False)
PHONE_NUMBERS = Route("GET", "phone-numbers", "phone_numbers", _PER_MINUTE_60, idempotent=True)
# Setting the same webhook URL twice leaves the same state: safe to repeat.
PHONE_NUMBERS_UPDATE = Route(
    "PATCH", "phone-numbers/update", "phone_numbers_update", _PER_MINUTE_60, idempotent=True
)
EMAIL_SENDERS = Route("GET", "email/senders", "email_senders", _PER_MINUTE_60, idempotent=True)
# Its own bucket, as every endpoint has: v3 is another route, which Laravel throttles
# apart from v2's. Should the live server count both sends together, its 429s are
# retried after the stated wait and pause the bucket for every caller.
EMAIL_V3_SEND = Route(
    "POST", "email/send", "email_v3_send", _PER_MINUTE_15, idempotent=False, version="v3"
)
EMAIL_V3_STATUS = Route(
    "GET", "email/status", "email_v3_status", _PER_MINUTE_60, idempotent=True, version="v3"
)
VOICE_CALL_HISTORY = Route(
    "GET", "voice-call/history", "voice_call_history", _PER_MINUTE_60, idempotent=True
)
SUB_USER_TOKENS = Route(
    "GET", "sub-user/tokens", "sub_user_tokens", _PER_MINUTE_60, idempotent=True
)
CONTACT_GROUPS = Route("GET", "contact-groups", "contact_groups", _PER_MINUTE_60, idempotent=True)
CONTACT_GROUPS_CREATE = Route(
    "POST", "contact-groups/create", "contact_groups_create", _PER_MINUTE_15, idempotent=False
)
# Renaming to the same name twice leaves the same state: safe to repeat.
CONTACT_GROUPS_UPDATE = Route(
    "PATCH", "contact-groups/update", "contact_groups_update", _PER_MINUTE_60, idempotent=True
)
# A repeated delete of a deleted group is refused ("Invalid group id"), never harmful.
CONTACT_GROUPS_DELETE = Route(
    "DELETE", "contact-groups/delete", "contact_groups_delete", _PER_MINUTE_60, idempotent=True
)
CONTACTS = Route("GET", "contacts", "contacts", _PER_MINUTE_60, idempotent=True)
CONTACTS_CREATE = Route(
    "POST", "contacts/create", "contacts_create", _PER_MINUTE_15, idempotent=False
)
CONTACTS_UPDATE = Route(
    "PATCH", "contacts/update", "contacts_update", _PER_MINUTE_60, idempotent=True
)
CONTACTS_DELETE = Route(
    "DELETE", "contacts/delete", "contacts_delete", _PER_MINUTE_60, idempotent=True
)

#: Every bucket name, with its documented limit.
BUCKETS: dict[str, RateLimit] = {
    route.bucket: route.limit
    for route in (
        SMS_SEND,
        SMS_STATUS,
        SMS_REPORT,
        SMS_CHAT_HISTORY,
        SMS_TEMPLATES,
        CAMPAIGN_SEND,
        CAMPAIGN_STATUS,
        CAMPAIGN_ITEMS,
        EMAIL_SEND,
        PHONE_NUMBERS,
        PHONE_NUMBERS_UPDATE,
        EMAIL_SENDERS,
        EMAIL_V3_SEND,
        EMAIL_V3_STATUS,
        VOICE_CALL_HISTORY,
        SUB_USER_TOKENS,
        CONTACT_GROUPS,
        CONTACT_GROUPS_CREATE,
        CONTACT_GROUPS_UPDATE,
        CONTACT_GROUPS_DELETE,
        CONTACTS,
        CONTACTS_CREATE,
        CONTACTS_UPDATE,
        CONTACTS_DELETE,
    )
}
