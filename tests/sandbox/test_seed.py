"""Seeding the sandbox with every kind of record, from code and from JSON (issue 20.14)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import cattrs
import pytest

import easify_async.sandbox as sandbox_package
from easify_async import CampaignStatus, InvalidRecipientError, SmsStatus
from easify_async.sandbox import (
    DEMO_TOKEN,
    Sandbox,
    Seed,
    SeedCall,
    SeedCampaign,
    SeedContact,
    SeedGroup,
    SeedNumber,
    SeedSender,
    SeedSms,
    SeedSubUser,
    SeedTemplate,
)
from tests.sandbox.conftest import Connect, raw_client

pytestmark = pytest.mark.anyio

WHEN = dt.datetime(2026, 11, 1, 10, 0)
MAIN = "7|main-token"
SUB = "8|sub-token"

DOCUMENT: dict[str, Any] = {
    "accounts": [
        {
            "token": MAIN,
            "numbers": [{"number": "+13152930000", "id": 501, "name": "Office"}],
            "templates": [{"id": 70, "name": "Hi", "message": "Hi {name}!"}],
            "groups": [{"name": "VIP", "id": 40, "created_at": "2026-11-01T10:00:00"}],
            "contacts": [
                {"first_name": "Ann", "group": "VIP", "id": 900,
                 "phone_number": "+13151350000", "email_address": "ann@x.example"}
            ],
            "sms": [
                {"id": 11, "sender": "3152930000", "receiver": "+13151350000",
                 "message": "out", "created_at": "2026-11-01T10:00:00"},
                {"id": 12, "sender": "+13152930000", "receiver": "+13151350000",
                 "message": "in", "send_by": "receiver", "created_at": "11-01-2026 10:05:00 AM"},
            ],
            "calls": [{"id": "83899", "from_number": "+13152930000",
                       "to_number": "+13151350000", "public_call": True}],
            "campaigns": [{"id": 77, "name": "Fall", "from_numbers": ["3152930000"],
                           "messages": ["Sale"], "recipients": ["+13151350000", "+13151350001"]}],
            "senders": [{"from_email": "news@x.example", "from_name": "News", "id": 5}],
            "sub_users": [{"email": "bob@x.example", "name": "Bob", "token": SUB}],
        },
        {"token": SUB, "calls": [{"id": "1", "from_number": "+13152930001",
                                  "to_number": "+13151350009"}]},
    ],
    "blacklist": ["+13151350002"],
    "invalid_recipients": ["+13151350003"],
    "unsubscribed": ["gone@x.example"],
    "invalid_emails": ["bad@x.example"],
}  # fmt: skip


def from_code() -> Sandbox:
    """The document above, written as code."""
    sandbox = Sandbox()
    sandbox.seed(
        Seed(
            token=MAIN,
            numbers=[SeedNumber(number="+13152930000", id=501, name="Office")],
            templates=[SeedTemplate(id=70, name="Hi", message="Hi {name}!")],
            groups=[SeedGroup(name="VIP", id=40, created_at=WHEN)],
            contacts=[
                SeedContact(first_name="Ann", group="VIP", id=900,
                            phone_number="+13151350000", email_address="ann@x.example")
            ],
            sms=[
                SeedSms(id=11, sender="3152930000", receiver="+13151350000", message="out",
                        created_at=WHEN),
                SeedSms(id=12, sender="+13152930000", receiver="+13151350000", message="in",
                        send_by="receiver", created_at=WHEN + dt.timedelta(minutes=5)),
            ],
            calls=[SeedCall(id="83899", from_number="+13152930000",
                            to_number="+13151350000", public_call=True)],
            campaigns=[SeedCampaign(id=77, name="Fall", from_numbers=["3152930000"],
                                    messages=["Sale"],
                                    recipients=["+13151350000", "+13151350001"])],
            senders=[SeedSender(from_email="news@x.example", from_name="News", id=5)],
            sub_users=[SeedSubUser(email="bob@x.example", name="Bob", token=SUB)],
        ),
        Seed(token=SUB, calls=[SeedCall(id="1", from_number="+13152930001",
                                        to_number="+13151350009")]),
        blacklist=["+13151350002"],
        invalid_recipients=["+13151350003"],
        unsubscribed=["gone@x.example"],
        invalid_emails=["bad@x.example"],
    )  # fmt: skip
    return sandbox


def from_file(tmp_path: Path) -> Sandbox:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(DOCUMENT))
    sandbox = Sandbox()
    sandbox.seed_json(path)
    return sandbox


GETS = [
    ("phone-numbers", {}),
    ("sms/templates", {}),
    ("contact-groups", {}),
    ("contacts", {}),
    ("sms/report", {"from_date": "2026-11-01", "to_date": "2026-11-01"}),
    ("sms/chat-history", {"sender": "3152930000", "receiver": "3151350000", "country_code": "+1"}),
    ("voice-call/history", {}),
    ("sms/campaign/status", {"campaign_id": 77}),
    ("sms/campaign/items", {"campaign_id": 77}),
    ("email/senders", {}),
]


_STAMPED = ("created_at", "updated_at", "completed_at")


def _without_moving_times(body: Any) -> Any:
    """A reply with the times the sandbox stamps at seeding (its wall clock) blanked."""
    if isinstance(body, dict):
        return {
            k: None if k in _STAMPED and v and v[:10] != "11-01-2026"
            else _without_moving_times(v)
            for k, v in body.items()
        }  # fmt: skip
    if isinstance(body, list):
        return [_without_moving_times(v) for v in body]
    return body


async def test_a_json_file_seeds_what_the_same_code_seeds(tmp_path: Path) -> None:
    """Every list endpoint answers the file-seeded sandbox as the code-seeded one."""
    replies = []
    for sandbox in (from_code(), from_file(tmp_path)):
        async with raw_client(sandbox, "in-process", MAIN) as client:
            replies.append(
                [_without_moving_times((await client.get(p, params=q)).json()) for p, q in GETS]
            )
    assert replies[0] == replies[1]
    assert all(reply["status"] is True for reply in replies[0])


async def test_every_kind_of_record_comes_back_with_its_ids(
    connect: Connect, tmp_path: Path
) -> None:
    """Numbers, templates, groups, contacts, SMS in and out, calls, campaigns, senders,
    sub-users and the four lists, as the client reads them."""
    sandbox = from_file(tmp_path)
    async with connect(sandbox, token=MAIN) as easify:
        numbers = await easify.phone_numbers.list()
        templates = [t async for t in easify.sms.templates()]
        groups = [g async for g in easify.contact_groups.list()]
        contacts = [c async for c in easify.contacts.list()]
        chat = [m async for m in easify.sms.chat_history("3152930000", "+13151350000")]
        calls = [c async for c in easify.voice_calls.history(include_subusers=True)]
        campaign = await easify.campaigns.status(77)
        items = [i async for i in easify.campaigns.items(77)]
        senders = [s async for s in easify.email.senders()]
        subs = [s async for s in easify.sub_users.list()]
        with pytest.raises(InvalidRecipientError):
            await easify.sms.send("3152930000", "+13151350003", message="x")
    assert [(n.id, n.number, n.name) for n in numbers] == [(501, "+13152930000", "Office")]
    assert [(t.id, t.message) for t in templates] == [(70, "Hi {name}!")]
    assert [(g.id, g.name, g.contacts_count) for g in groups] == [(40, "VIP", 1), (1, "Default", 0)]
    assert [(c.id, c.phone_number, c.group_name) for c in contacts] == [
        (900, "+13151350000", "VIP")
    ]
    assert [(m.id, m.message, m.send_by) for m in chat] == [
        (12, "in", "receiver"),
        (11, "out", "sender"),
    ]
    assert {c.id for c in calls} == {"83899", "1"}
    assert (campaign.status, campaign.success_count) == (CampaignStatus.COMPLETED, 2)
    assert [(i.sender, i.status) for i in items] == [("+13152930000", SmsStatus.SUCCESS)] * 2
    assert [(s.id, s.from_email, s.from_name) for s in senders] == [(5, "news@x.example", "News")]
    assert [(s.email, s.easify_api_token) for s in subs] == [("bob@x.example", SUB)]
    assert sandbox.blacklist == {"+13151350002"}
    assert (sandbox.unsubscribed, sandbox.invalid_emails) == ({"gone@x.example"}, {"bad@x.example"})


async def test_a_seeded_campaign_can_be_running_or_held(connect: Connect) -> None:
    """``done`` short of the recipients runs on from there; ``held`` stops it on Hold."""
    sandbox = Sandbox()
    sandbox.api.campaign_rate = 0.001  # a message every 1000 s: it stays where seeded
    campaign = {"name": "N", "from_numbers": ["3152930000"], "messages": ["m"],
                "recipients": ["+13151350000", "+13151350001"], "done": 1}  # fmt: skip
    sandbox.seed(
        Seed(
            token=DEMO_TOKEN,
            campaigns=[
                SeedCampaign(id=1, **campaign),
                SeedCampaign(id=2, held=True, **campaign),
            ],
        )
    )
    async with connect(sandbox) as easify:
        running, held = [await easify.campaigns.status(n) for n in (1, 2)]
    assert (running.status, running.success_count, running.pending_count) == (
        CampaignStatus.RUNNING, 1, 1,
    )  # fmt: skip
    assert (held.status, held.success_count, held.hold_count) == (CampaignStatus.HOLD, 1, 1)


def test_a_document_with_an_unknown_key_is_refused() -> None:
    """A typo in a seed file is an error naming nothing silently dropped."""
    with pytest.raises(cattrs.ForbiddenExtraKeysError, match="number"):
        Sandbox().seed_json(json.dumps({"accounts": [{"token": "t", "number": []}]}))


def test_a_contact_in_a_group_not_seeded_is_refused() -> None:
    """The group is named; an unknown name is a ValueError, not a new group."""
    with pytest.raises(ValueError, match="no group named 'Nope'"):
        Sandbox().seed(Seed(token=DEMO_TOKEN, contacts=[SeedContact(first_name="A", group="Nope")]))


def test_the_public_names_are_pinned() -> None:
    """easify_async.sandbox's __all__ is its contract."""
    assert sandbox_package.__all__ == [
        "DEMO_FROM_NUMBER", "DEMO_SENDER", "DEMO_TOKEN", "SANDBOX_BASE_URL", "Account",
        "Delivered", "Delivery",
        "Faults", "Sandbox", "Seed", "SeedCall", "SeedCampaign", "SeedContact", "SeedGroup",
        "SeedNumber", "SeedSender", "SeedSms", "SeedSubUser", "SeedTemplate", "SentEmail",
        "SentSms", "serve", "serve_forever",
    ]  # fmt: skip


async def test_numbered_records_never_share_an_id_with_the_sandbox_own(connect: Connect) -> None:
    """A number and a sender seeded without ids on the demo account, beside its demo
    number and sender (numbered on first sight), all get ids of their own."""
    sandbox = Sandbox()
    sandbox.seed(
        Seed(
            token=DEMO_TOKEN,
            numbers=[SeedNumber(number="+13152930001")],
            senders=[SeedSender(from_email="news@x.example")],
        )
    )
    async with connect(sandbox) as easify:
        numbers = await easify.phone_numbers.list()
        senders = [s async for s in easify.email.senders()]
    assert len({n.id for n in numbers}) == len(numbers) == 2
    assert len({s.id for s in senders}) == len(senders) == 2
