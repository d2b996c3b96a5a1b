"""The API routes, and the facts about each that the client and the sandbox need.

This table is the one place where an endpoint's method, path, API version, rate-limit
bucket, documented limit, idempotence, request model and result model are written down:
each route is one constant below, named after its bucket; `ROUTES`, `BUCKETS` and
``__all__`` are derived from them. `HttpCore` structures a reply into its row's result
(so a type checker holds each endpoint method to its row), the sandbox pairs each row
with its handler (``sandbox._routes``), the reference's endpoint page is generated from
the rows (``python -m easify_async._routes_doc``), and a test checks the rows against the
spec's endpoint index (tests/data/spec_endpoints.md).

A path may hold parameters, ``{name}`` as in ``sms/templates/{template_id}``: they are
never sent as written but filled in by `Route.url`, each value quoted whole.
"""

from __future__ import annotations

import string
from typing import Any, Generic, Literal, TypeAlias, TypeVar
from urllib.parse import quote

from attrs import Factory, field, frozen

from ._models.accounts import SubUser
from ._models.calls import VoiceCall
from ._models.campaigns import CampaignItem, CampaignSent, CampaignStatusInfo
from ._models.common import Acknowledged
from ._models.contacts import Contact, ContactGroup
from ._models.email import EmailRecipientStatus, EmailSender, EmailSent
from ._models.numbers import PhoneNumber
from ._models.sms import SmsRecord, SmsSent, SmsStatusInfo, SmsTemplate
from ._rate import RateLimit
from ._requests import (
    CampaignIdQuery,
    CampaignSendRequest,
    ChatHistoryQuery,
    ContactCreate,
    ContactDelete,
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupsQuery,
    ContactGroupUpdate,
    ContactsQuery,
    ContactUpdate,
    EmailSendRequest,
    EmailV3SendRequest,
    EmailV3StatusQuery,
    NoQuery,
    PhoneNumberUpdate,
    SmsReportQuery,
    SmsSendRequest,
    SmsStatusRequest,
    SubUserQuery,
    VoiceCallQuery,
)
from .errors import ArgumentError

Q = TypeVar("Q")
R = TypeVar("R")

#: Key under which a request carries its `Route` through the transport stack.
ROUTE_EXTENSION = "easify.route"

_PER_MINUTE_15 = RateLimit(15, 60.0)
_PER_MINUTE_60 = RateLimit(60, 60.0)


@frozen
class Route(Generic[Q, R]):
    """One endpoint, whose request model is ``Q`` and whose reply's data is ``R``.

    Attributes:
        method: the HTTP method.
        path: relative to the base URL (``.../api/v2``).
        bucket: the name of its rate-limit bucket (see `RateLimits.limit_for`).
        limit: its documented limit, used unless `RateLimits` sets another.
        idempotent: whether repeating it can do no harm (a send is not).
        version: the API version whose base URL ``path`` is relative to: ``"v2"``
            (the client's ``base_url``) or ``"v3"`` (the same URL ending in ``/v3``).
        request: the request model: its fields are the query or the body.
        result: what the reply's ``data`` is structured into; for a list route, each
            item of the list.
        params: the names of the path's ``{name}`` parameters, in order, read from
            ``path`` (``()`` for every route of the API today).
    """

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    bucket: str
    limit: RateLimit
    idempotent: bool
    request: type[Q] = field(kw_only=True)
    result: type[R] = field(kw_only=True)
    version: Literal["v2", "v3"] = field(default="v2", kw_only=True)
    params: tuple[str, ...] = field(
        init=False, default=Factory(lambda self: _params_of(self.path), takes_self=True)
    )

    def url(self, **params: object) -> str:
        """The path with each parameter's value filled in, quoted whole.

        A value is sent as ``str(value)`` with every reserved character quoted (``/``
        becomes ``%2F``, ``{`` ``%7B``, a space ``%20``), so it stays one path segment:
        a value can never reach another route, nor put a brace on the wire.

        Raises:
            TypeError: a parameter of the path is missing, or one it lacks is given
                (the SDK's own mistake, not the caller's).
            ArgumentError: a value is empty, ``.`` or ``..``: the URL would name
                another resource (the list, or a parent path).
        """
        if set(params) != set(self.params):
            raise TypeError(
                f"{self.method} {self.path} takes path parameters {list(self.params)}, "
                f"got {sorted(params)}"
            )
        if not params:
            return self.path
        quoted: dict[str, str] = {}
        for name, value in params.items():
            text = str(value)
            if text in ("", ".", ".."):
                raise ArgumentError(name, f"must name one resource, got {text!r}")
            quoted[name] = quote(text, safe="")
        return self.path.format_map(quoted)


#: A route of any request and result, for the layers that only send it.
AnyRoute: TypeAlias = Route[Any, Any]


def _params_of(path: str) -> tuple[str, ...]:
    """The ``{name}`` fields of a path; a field with a format or conversion is an error."""
    names: list[str] = []
    for _literal, name, spec, conversion in string.Formatter().parse(path):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion or name in names:
            raise ValueError(f"path {path!r}: bad parameter {{{name}}}")
        names.append(name)
    return tuple(names)


# fmt: off
# One row per route, as in the spec"s table, each written once.
SMS_SEND = Route(
    "POST", "sms/send", "sms_send", _PER_MINUTE_15, idempotent=False,
    request=SmsSendRequest, result=SmsSent,
)
SMS_STATUS = Route(
    "GET", "sms/status", "sms_status", _PER_MINUTE_60, idempotent=True,
    request=SmsStatusRequest, result=SmsStatusInfo,
)
SMS_REPORT = Route(
    "GET", "sms/report", "sms_report", _PER_MINUTE_60, idempotent=True,
    request=SmsReportQuery, result=SmsRecord,
)
SMS_CHAT_HISTORY = Route(
    "GET", "sms/chat-history", "sms_chat_history", _PER_MINUTE_60, idempotent=True,
    request=ChatHistoryQuery, result=SmsRecord,
)
SMS_TEMPLATES = Route(
    "GET", "sms/templates", "sms_templates", _PER_MINUTE_60, idempotent=True,
    request=NoQuery, result=SmsTemplate,
)
# The docs state no limit for a campaign send. An unstated limit is not no limit: keep to
# 15 per minute, the API"s tightest documented limit for anything that sends or creates,
# which costs nothing in practice (a campaign is one call for up to 10,000 recipients).
CAMPAIGN_SEND = Route(
    "POST", "sms/campaign/send", "campaign_send", _PER_MINUTE_15, idempotent=False,
    request=CampaignSendRequest, result=CampaignSent,
)
CAMPAIGN_STATUS = Route(
    "GET", "sms/campaign/status", "campaign_status", _PER_MINUTE_60, idempotent=True,
    request=CampaignIdQuery, result=CampaignStatusInfo,
)
CAMPAIGN_ITEMS = Route(
    "GET", "sms/campaign/items", "campaign_items", _PER_MINUTE_60, idempotent=True,
    request=CampaignIdQuery, result=CampaignItem,
)
EMAIL_SEND = Route(
    "POST", "email/send", "email_send", _PER_MINUTE_15, idempotent=False,
    request=EmailSendRequest, result=EmailSent,
)
# Its own bucket, as every endpoint has: v3 is another route, which Laravel throttles
# apart from v2"s. Should the live server count both sends together, its 429s are
# retried after the stated wait and pause the bucket for every caller.
EMAIL_V3_SEND = Route(
    "POST", "email/send", "email_v3_send", _PER_MINUTE_15, idempotent=False,
    request=EmailV3SendRequest, result=EmailSent, version="v3",
)
EMAIL_V3_STATUS = Route(
    "GET", "email/status", "email_v3_status", _PER_MINUTE_60, idempotent=True,
    request=EmailV3StatusQuery, result=EmailRecipientStatus, version="v3",
)
EMAIL_SENDERS = Route(
    "GET", "email/senders", "email_senders", _PER_MINUTE_60, idempotent=True,
    request=NoQuery, result=EmailSender,
)
PHONE_NUMBERS = Route(
    "GET", "phone-numbers", "phone_numbers", _PER_MINUTE_60, idempotent=True,
    request=NoQuery, result=PhoneNumber,
)
# Setting the same webhook URL twice leaves the same state: safe to repeat.
PHONE_NUMBERS_UPDATE = Route(
    "PATCH", "phone-numbers/update", "phone_numbers_update", _PER_MINUTE_60, idempotent=True,
    request=PhoneNumberUpdate, result=PhoneNumber,
)
CONTACT_GROUPS = Route(
    "GET", "contact-groups", "contact_groups", _PER_MINUTE_60, idempotent=True,
    request=ContactGroupsQuery, result=ContactGroup,
)
CONTACT_GROUPS_CREATE = Route(
    "POST", "contact-groups/create", "contact_groups_create", _PER_MINUTE_15, idempotent=False,
    request=ContactGroupCreate, result=ContactGroup,
)
# Renaming to the same name twice leaves the same state: safe to repeat.
CONTACT_GROUPS_UPDATE = Route(
    "PATCH", "contact-groups/update", "contact_groups_update", _PER_MINUTE_60, idempotent=True,
    request=ContactGroupUpdate, result=ContactGroup,
)
# A repeated delete of a deleted group is refused ("Invalid group id"), never harmful.
CONTACT_GROUPS_DELETE = Route(
    "DELETE", "contact-groups/delete", "contact_groups_delete", _PER_MINUTE_60, idempotent=True,
    request=ContactGroupDelete, result=Acknowledged,
)
CONTACTS = Route(
    "GET", "contacts", "contacts", _PER_MINUTE_60, idempotent=True,
    request=ContactsQuery, result=Contact,
)
CONTACTS_CREATE = Route(
    "POST", "contacts/create", "contacts_create", _PER_MINUTE_15, idempotent=False,
    request=ContactCreate, result=Contact,
)
CONTACTS_UPDATE = Route(
    "PATCH", "contacts/update", "contacts_update", _PER_MINUTE_60, idempotent=True,
    request=ContactUpdate, result=Contact,
)
CONTACTS_DELETE = Route(
    "DELETE", "contacts/delete", "contacts_delete", _PER_MINUTE_60, idempotent=True,
    request=ContactDelete, result=Acknowledged,
)

VOICE_CALL_HISTORY = Route(
    "GET", "voice-call/history", "voice_call_history", _PER_MINUTE_60, idempotent=True,
    request=VoiceCallQuery, result=VoiceCall,
)
SUB_USER_TOKENS = Route(
    "GET", "sub-user/tokens", "sub_user_tokens", _PER_MINUTE_60, idempotent=True,
    request=SubUserQuery, result=SubUser,
)
# fmt: on

#: Every route, in the spec's order (§2). Derived: a route is written once, above.
ROUTES: tuple[Route[Any, Any], ...] = tuple(
    v for v in tuple(globals().values()) if isinstance(v, Route)
)

#: Every bucket name, with its documented limit.
BUCKETS: dict[str, RateLimit] = {route.bucket: route.limit for route in ROUTES}

__all__ = [  # derived: the constants above are the rows
    "BUCKETS",
    "ROUTES",
    "ROUTE_EXTENSION",
    "Route",
    *(name for name, v in tuple(globals().items()) if isinstance(v, Route)),
]
