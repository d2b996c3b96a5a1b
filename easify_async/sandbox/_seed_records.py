"""The records a sandbox is seeded with, and how JSON becomes them (see `_seed`).

A `Seed` holds one account's records; `Sandbox.seed` adds them (the account is created
when its token is new), `Sandbox.seed_json` reads the same from a JSON document::

    {"accounts": [{"token": "...", "numbers": [{"number": "+13152930000"}], ...}],
     "blacklist": ["+13151350000"], "invalid_recipients": [], "unsubscribed": [],
     "invalid_emails": []}

Ids and tokens you give are kept (make them unique); the sandbox numbers the others.
Times are `datetime.datetime` in code and ISO 8601 text (or the API's own
``MM-DD-YYYY hh:mm:ss AM``) in JSON; a time left out is the sandbox's wall clock at
seeding. Numbers are E.164 (``+13152930000``); an account number may also be national.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
from attrs import Factory, frozen
from cattrs.gen import make_dict_structure_fn, override

from .._serde import converter, parse_api_time

__all__ = [
    "Document",
    "Seed",
    "SeedCall",
    "SeedCampaign",
    "SeedContact",
    "SeedGroup",
    "SeedNumber",
    "SeedSender",
    "SeedSms",
    "SeedSubUser",
    "SeedTemplate",
]


@frozen(kw_only=True)
class SeedNumber:
    """One of the account's Easify numbers (``GET phone-numbers``); it may send SMS."""

    number: str
    id: int | None = None
    name: str | None = None  # "Line N" when omitted
    gateway: str = "Twilio"
    webhook_url: str | None = None
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedTemplate:
    """An approved SMS template (``GET sms/templates``). An account seeded with
    templates before its first list has no sample templates (ids 7, 8, 9)."""

    name: str
    message: str
    id: int | None = None
    group_name: str = "General"
    media_url: str = ""
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedGroup:
    """A contact group (``GET contact-groups``); ``shared_group`` for a main user's group
    its sub-users see. Every account also has its default group, ``"Default"``."""

    name: str
    id: int | None = None
    shared_group: bool = False
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedContact:
    """A contact (``GET contacts``) in the group named ``group`` (seeded first, or the
    default group); ``phone_number`` in E.164 (``+1`` or ``+972``)."""

    first_name: str
    group: str = "Default"
    id: int | None = None
    last_name: str | None = None
    phone_number: str | None = None
    email_address: str | None = None
    company: str | None = None
    additional_1: str | None = None
    additional_2: str | None = None
    additional_3: str | None = None
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedSms:
    """An SMS of the history (``sms/report``, ``sms/chat-history``) between the account's
    number ``sender`` and ``receiver``: ``send_by="sender"`` for one the account sent,
    ``"receiver"`` for one it received."""

    sender: str
    receiver: str
    message: str = ""
    status: str = "Delivered"
    send_by: str = "sender"
    id: int | None = None
    media_url: str = ""
    reason: str | None = None
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedCall:
    """A voice call (``GET voice-call/history``); the fields past ``id`` are the
    sandbox's guess (the docs cut the item off)."""

    from_number: str
    to_number: str
    id: str | None = None
    status: str = "completed"
    direction: str = "outbound"
    duration: int = 30
    recording_url: str | None = None
    public_call: bool = False
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedCampaign:
    """A campaign (``sms/campaign/status`` and ``items``) to ``recipients`` (E.164),
    the ``messages`` in turn; ``Completed`` unless ``done`` says how many were sent
    (then ``Running`` on from there, or ``Hold`` with ``held``)."""

    name: str
    from_numbers: list[str]
    messages: list[str]
    recipients: list[str]
    id: int | None = None
    done: int | None = None
    held: bool = False
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class SeedSender:
    """A verified email sender (``GET email/senders``); it may send email."""

    from_email: str
    from_name: str | None = None  # from the address when omitted
    id: int | None = None


@frozen(kw_only=True)
class SeedSubUser:
    """A sub-user (``GET sub-user/tokens``): an account of its own, ``token`` kept when
    given (seed its records with a `Seed` of that token)."""

    email: str
    name: str = ""
    token: str | None = None


@frozen(kw_only=True)
class Seed:
    """The records of one account: ``token``'s, created when new (with only the numbers
    and senders seeded here, where the demo account has its demo ones)."""

    token: str
    numbers: list[SeedNumber] = Factory(list)
    templates: list[SeedTemplate] = Factory(list)
    groups: list[SeedGroup] = Factory(list)
    contacts: list[SeedContact] = Factory(list)
    sms: list[SeedSms] = Factory(list)
    calls: list[SeedCall] = Factory(list)
    campaigns: list[SeedCampaign] = Factory(list)
    senders: list[SeedSender] = Factory(list)
    sub_users: list[SeedSubUser] = Factory(list)


@frozen(kw_only=True)
class Document:
    """A JSON seed document."""

    accounts: list[Seed] = Factory(list)
    blacklist: list[str] = Factory(list)
    invalid_recipients: list[str] = Factory(list)
    unsubscribed: list[str] = Factory(list)
    invalid_emails: list[str] = Factory(list)


def _time(value: Any, _: Any) -> dt.datetime | None:
    """ISO 8601 text or the API's own format; a naive time is as the API writes it."""
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except (TypeError, ValueError):
        parsed = parse_api_time(value)
        if parsed is None:
            raise ValueError(f"unreadable time {value!r}") from None
        return parsed


def _register(*classes: type) -> None:
    """The seed records' own hooks on the SDK's one converter (whose API-only time hook
    would read an ISO time as missing): unknown keys refused, times by `_time`."""
    for cls in classes:
        timed = any(a.name == "created_at" for a in attrs.fields(cls))
        structure: Callable[[Any, Any], Any] = (
            make_dict_structure_fn(
                cls, converter, _cattrs_forbid_extra_keys=True,
                created_at=override(struct_hook=_time),
            )
            if timed
            else make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        )  # fmt: skip
        converter.register_structure_hook(cls, structure)


_register(
    SeedNumber, SeedTemplate, SeedGroup, SeedContact, SeedSms, SeedCall, SeedCampaign,
    SeedSender, SeedSubUser, Seed, Document,
)  # fmt: skip
