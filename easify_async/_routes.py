"""The API routes the client calls, and the facts about each that the stack needs."""

from __future__ import annotations

from typing import Literal

from attrs import frozen

__all__ = ["EMAIL_SEND", "SMS_SEND", "SMS_STATUS", "ROUTE_EXTENSION", "Route"]

#: Key under which a request carries its `Route` through the transport stack.
ROUTE_EXTENSION = "easify.route"


@frozen
class Route:
    """One endpoint.

    Attributes:
        method: the HTTP method.
        path: relative to the base URL (``.../api/v2``).
        bucket: the `RateLimits` attribute that limits it.
        idempotent: whether repeating it can do no harm (a send is not).
    """

    method: Literal["GET", "POST"]
    path: str
    bucket: Literal["sms_send", "email_send", "sms_status"]
    idempotent: bool


SMS_SEND = Route("POST", "sms/send", "sms_send", idempotent=False)
SMS_STATUS = Route("GET", "sms/status", "sms_status", idempotent=True)
EMAIL_SEND = Route("POST", "email/send", "email_send", idempotent=False)
