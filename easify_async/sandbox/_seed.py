"""Seeding the sandbox: every kind of record the API returns, from code or from JSON.

`Sandbox.seed` adds `Seed` records (``_seed_records``), `Sandbox.seed_json` reads them
from a JSON document first. Ids and tokens given are kept; the others are numbered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from .._serde import converter
from ._api_state import Campaign, HistoryRecord, NumberRecord, Template
from ._extra_state import CallRecord, SenderRecord, SubUserRecord
from ._phones import e164
from ._seed_records import Document, Seed, SeedCampaign, SeedContact, SeedNumber, SeedSubUser
from ._state import Account

if TYPE_CHECKING:
    from ._store import SandboxState

__all__ = ["apply_seed", "read_seed"]


def read_seed(source: str | os.PathLike[str]) -> tuple[list[Seed], dict[str, list[str]]]:
    """The accounts' seeds and the sandbox-wide lists of a JSON file (or JSON text)."""
    text = str(source)
    if not text.lstrip().startswith("{"):
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    document: Document = converter.structure(json.loads(text), Document)
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
                id=sender.id if sender.id is not None else sandbox.extra.next_sender_id(),
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
        id=seeded.id if seeded.id is not None else sandbox.api.next_number_id(),
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
