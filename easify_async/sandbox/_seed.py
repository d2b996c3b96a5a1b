"""Seeding the sandbox: every kind of record the API returns, from code or from JSON.

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
import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs
from attrs import Factory, frozen
from cattrs.gen import make_dict_structure_fn, override

from .._serde import converter, parse_api_time
from ._api_state import Campaign, HistoryRecord, NumberRecord, Template
from ._extra_state import CallRecord, SenderRecord, SubUserRecord
from ._phones import e164
from ._state import Account

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = [
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
    "apply_seed",
    "read_seed",
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
class _Document:
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
    SeedSender, SeedSubUser, Seed, _Document,
)  # fmt: skip


def read_seed(source: str | os.PathLike[str]) -> tuple[list[Seed], dict[str, list[str]]]:
    """The accounts' seeds and the sandbox-wide lists of a JSON file (or JSON text)."""
    text = str(source)
    if not text.lstrip().startswith("{"):
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    document: _Document = converter.structure(json.loads(text), _Document)
    lists = attrs.asdict(document, filter=lambda a, _: a.name != "accounts")
    return document.accounts, lists


def apply_seed(sandbox: SandboxState, seed: Seed) -> None:
    """Add ``seed``'s records to ``sandbox``."""
    now = sandbox.wall_clock().replace(microsecond=0, tzinfo=None)
    account = sandbox.accounts.get(seed.token) or sandbox.add_account(
        Account(token=seed.token, from_numbers=set(), senders=set())
    )
    token = account.token
    for sub in seed.sub_users:
        _sub_user(sandbox, token, sub)
    for number in seed.numbers:
        _number(sandbox, account, number, now)
    if seed.templates:
        # An account's sample templates are made on its first list; seeded ones come first.
        templates = sandbox.api.templates.setdefault(token, [])
        for template in seed.templates:
            templates.append(
                Template(
                    id=template.id or max((t.id for t in templates), default=0) + 1,
                    group_name=template.group_name,
                    name=template.name,
                    message=template.message,
                    media_url=template.media_url,
                    created_at=template.created_at or now,
                )
            )
    for group in seed.groups:
        record = sandbox.contacts.add_group(
            token, group.name, group.created_at or now, shared_group=group.shared_group
        )
        if group.id is not None:
            record.id = group.id
    for contact in seed.contacts:
        _contact(sandbox, token, contact, now)
    next_sms = _counter(r.id for r in sandbox.api.history.get(token, []))
    sandbox.api.add_history(
        token,
        *(
            HistoryRecord(
                id=sms.id if sms.id is not None else next(next_sms),
                sender=e164(sms.sender),
                receiver=sms.receiver,
                message=sms.message,
                status=sms.status,
                created_at=sms.created_at or now,
                send_by=sms.send_by,
                media_url=sms.media_url,
                reason=sms.reason,
            )
            for sms in seed.sms
        ),
    )
    next_call = _counter(int(c.id) for c in sandbox.extra.calls.get(token, []) if c.id.isdigit())
    sandbox.extra.add_calls(
        token,
        *(
            CallRecord(
                id=call.id or str(next(next_call)),
                from_number=call.from_number,
                to_number=call.to_number,
                created_at=call.created_at or now,
                status=call.status,
                direction=call.direction,
                duration=call.duration,
                recording_url=call.recording_url,
                public_call=call.public_call,
            )
            for call in seed.calls
        ),
    )
    for campaign in seed.campaigns:
        _campaign(sandbox, token, campaign, now)
    for sender in seed.senders:
        account.senders.add(sender.from_email)
        records = sandbox.extra.senders.setdefault(token, [])
        records.append(
            SenderRecord(
                id=sender.id or max((r.id for r in records), default=0) + 1,
                from_email=sender.from_email,
                from_name=sender.from_name
                or sender.from_email.split("@")[0].replace(".", " ").title(),
            )
        )


def _counter(ids: Iterable[int]) -> Iterator[int]:
    start = max(ids, default=0) + 1
    while True:
        yield start
        start += 1


def _sub_user(sandbox: SandboxState, main: str, sub: SeedSubUser) -> None:
    if sub.token is None:
        sandbox.extra.add_sub_user(main, email=sub.email, name=sub.name)
        return
    if sub.token not in sandbox.accounts:
        sandbox.add_account(Account(token=sub.token, from_numbers=set(), senders=set()))
    sandbox.extra.sub_users.setdefault(main, []).append(
        SubUserRecord(email=sub.email, name=sub.name, token=sub.token)
    )


def _number(sandbox: SandboxState, account: Account, seeded: SeedNumber, now: dt.datetime) -> None:
    records = sandbox.api.numbers.setdefault(account.token, [])
    record = NumberRecord(
        id=seeded.id or max((r.id for r in records), default=100) + 1,
        number=e164(seeded.number),
        gateway=seeded.gateway,
        name=seeded.name or f"Line {len(records) + 1}",
        created_at=seeded.created_at or now,
        webhook_url=seeded.webhook_url,
    )
    records.append(record)
    account.from_numbers.add(seeded.number)


# The country codes contacts take (§3.16), longest first.
_CONTACT_CODES = ("+972", "+1")


def _contact(sandbox: SandboxState, token: str, seeded: SeedContact, now: dt.datetime) -> None:
    groups = sandbox.contacts.groups_of(token, now)
    group = next((g for g in groups if g.name == seeded.group), None)
    if group is None:
        raise ValueError(f"contact {seeded.first_name!r}: no group named {seeded.group!r}")
    fields = attrs.asdict(seeded, filter=lambda a, _: a.name not in ("group", "id", "created_at"))
    phone = seeded.phone_number
    if phone is not None:
        code = next((c for c in _CONTACT_CODES if phone.startswith(c)), None)
        if code is None:
            raise ValueError(f"contact {seeded.first_name!r}: {phone!r} is not +1 or +972")
        fields.update(phone_number=phone[len(code) :], country_code=code)
    record = sandbox.contacts.add_contact(token, group, fields, seeded.created_at or now)
    if seeded.id is not None:
        record.id = seeded.id


def _campaign(sandbox: SandboxState, token: str, seeded: SeedCampaign, now: dt.datetime) -> None:
    clock = sandbox.clock()
    campaign = Campaign(
        id=seeded.id if seeded.id is not None else sandbox.api.next_campaign_id(),
        token=token,
        name=seeded.name,
        from_numbers=[e164(n) for n in seeded.from_numbers],
        messages=list(seeded.messages),
        recipients=list(seeded.recipients),
        recipients_in_file=len(seeded.recipients),
        created_at=seeded.created_at or now,
        sent_at=clock,
        starts_at=clock,
        rate=sandbox.api.campaign_rate,
        done_before=len(seeded.recipients) if seeded.done is None else seeded.done,
        resumed_at=clock,
    )
    sandbox.api.campaigns[campaign.id] = campaign
    if seeded.held:
        sandbox.api.hold(campaign.id, clock)
