"""Never run: the type of every call of the blocking client `Easify`, pinned with
``assert_type`` under mypy --strict and basedpyright (nox -s typecheck), as in results.py
for the async client; tests/sync/test_typing_coverage.py checks every call is here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator

from typing_extensions import assert_type

from easify_async import (
    CampaignItem,
    CampaignSent,
    CampaignStatusInfo,
    Contact,
    ContactGroup,
    Easify,
    EmailRecipientStatus,
    EmailSender,
    EmailSent,
    Paginator,
    PhoneNumber,
    RateLimits,
    RawResponse,
    RawResponses,
    SmsRecord,
    SmsSent,
    SmsStatusInfo,
    SmsTemplate,
    SubUser,
    SyncPage,
    VoiceCall,
)
from easify_async.bulk import (
    ContactResult,
    EmailMessage,
    EmailResult,
    EmailV3Message,
    EmailV3Result,
    NewContact,
    SmsMessage,
    SmsResult,
)


def client_and_settings() -> None:
    easify = Easify("token", rate_limits=RateLimits().scaled(0.5))
    assert_type(easify.base_url, str)
    assert_type(easify.with_options(timeout=5.0, max_retries=0), Easify)
    assert_type(easify.with_options(headers={"X-Trace": "t"}), Easify)
    with easify as entered:
        assert_type(entered, Easify)
    with easify.raw_responses() as raw:
        assert_type(raw, RawResponses)
        assert_type(raw.last, RawResponse)
        assert_type(raw.all, tuple[RawResponse, ...])
    assert_type(easify.close(), None)


def sms(easify: Easify) -> None:
    assert_type(easify.sms.send("3152930000", "+13151350000", message="Hi"), SmsSent)
    assert_type(
        easify.sms.send("3152930000", "+13151350000", message="Hi", idempotency_key="o-7"), SmsSent
    )
    assert_type(easify.sms.status("315"), SmsStatusInfo)
    assert_type(easify.sms.wait_for_final_status("315", timeout=60), SmsStatusInfo)
    report = easify.sms.report(from_date=dt.date(2026, 1, 1), to_date="2026-01-31")
    assert_type(report, Paginator[SmsRecord])
    assert_type(easify.sms.chat_history("3152930000", "+13151350000"), Paginator[SmsRecord])
    assert_type(easify.sms.templates(limit=5), Paginator[SmsTemplate])
    rows = [SmsMessage(from_number="3152930000", to_number="+13151350000", message="Hi")]
    assert_type(easify.sms.send_many(rows), Generator[SmsResult, None, None])
    for result in easify.sms.send_many(rows, journal="run.db"):
        assert_type(result, SmsResult)
        assert_type(result.sms_id, str | None)


def email(easify: Easify) -> None:
    assert_type(easify.email.send("a@x.example", "b@x.example", "Hi"), EmailSent)
    rows = [EmailMessage(sender="a@x.example", receiver="b@x.example", subject="Hi")]
    assert_type(easify.email.send_many(rows), Generator[EmailResult, None, None])
    assert_type(easify.email.senders(), Paginator[EmailSender])
    sent = easify.v3.email.send("a@x.example", ["b@x.example"], "Hi")
    assert_type(sent, EmailSent)
    assert_type(easify.v3.email.status(sent.email_id), list[EmailRecipientStatus])
    v3_rows = [EmailV3Message(sender="a@x.example", receiver=("b@x.example",), subject="s")]
    assert_type(easify.v3.email.send_many(v3_rows), Generator[EmailV3Result, None, None])


def numbers_calls_and_sub_users(easify: Easify) -> None:
    assert_type(easify.phone_numbers.list(), list[PhoneNumber])
    updated = easify.phone_numbers.update_webhook(1, webhook_url="https://x.example/in")
    assert_type(updated, PhoneNumber)
    assert_type(easify.voice_calls.history(), Paginator[VoiceCall])
    assert_type(easify.sub_users.list(), Paginator[SubUser])


def campaigns(easify: Easify) -> None:
    sent = easify.campaigns.send("Nov", ["+13152930000"], [1], b"phone\n+13151350000\n")
    assert_type(sent, CampaignSent)
    assert_type(easify.campaigns.status(sent.campaign_id), CampaignStatusInfo)
    assert_type(easify.campaigns.items(sent.campaign_id), Paginator[CampaignItem])
    done = easify.campaigns.wait_for_completion(sent.campaign_id, timeout=60)
    assert_type(done, CampaignStatusInfo)


def contact_groups_and_contacts(easify: Easify) -> None:
    assert_type(easify.contact_groups.list(), Paginator[ContactGroup])
    group = easify.contact_groups.create(name="VIP")
    assert_type(group, ContactGroup)
    assert_type(easify.contact_groups.update(group.id, name="VIPs"), ContactGroup)
    assert_type(easify.contact_groups.delete(group.id), None)
    assert_type(easify.contacts.list(group_id=group.id), Paginator[Contact])
    contact = easify.contacts.create(group_id=group.id, first_name="Ann")
    assert_type(contact, Contact)
    assert_type(easify.contacts.update(contact.id, first_name="Anne"), Contact)
    assert_type(easify.contacts.delete(contact.id), None)
    rows = [NewContact(group_id=group.id, first_name="Bo")]
    assert_type(easify.contacts.create_many(rows), Generator[ContactResult, None, None])


def pages(easify: Easify) -> None:
    templates = easify.sms.templates()
    first = templates.first_page()
    assert_type(first, SyncPage[SmsTemplate])
    assert_type(first.items, list[SmsTemplate])
    assert_type(first.total, int)
    assert_type(first.has_next_page(), bool)
    assert_type(first.next_page(), SyncPage[SmsTemplate])
    assert_type(len(first), int)
    assert_type(iter(first), Iterator[SmsTemplate])
    assert_type(templates.pages(), Iterator[SyncPage[SmsTemplate]])
    assert_type(iter(templates), Iterator[SmsTemplate])
    for template in templates:
        assert_type(template, SmsTemplate)
