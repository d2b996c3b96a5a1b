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
    "EMAIL_SEND",
    "PHONE_NUMBERS",
    "PHONE_NUMBERS_UPDATE",
    "ROUTE_EXTENSION",
    "SMS_CHAT_HISTORY",
    "SMS_REPORT",
    "SMS_SEND",
    "SMS_STATUS",
    "SMS_TEMPLATES",
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
    """

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    bucket: str
    limit: RateLimit
    idempotent: bool


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
    )
}
