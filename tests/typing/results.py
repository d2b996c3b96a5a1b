"""Never run: the type of every public call's result, pinned with ``assert_type``.

Checked by mypy --strict and by basedpyright (nox -s typecheck), as users check their
code: a result that turns into ``Any`` or changes type fails both. Only the async client
exists (the blocking one is issue 21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import httpx
from typing_extensions import assert_type

from easify_async import (
    APIConnectionError,
    APIError,
    ArgumentError,
    AsyncEasify,
    AsyncPaginator,
    CampaignItem,
    CampaignSent,
    CampaignStatus,
    CampaignStatusInfo,
    CampaignTimeoutError,
    Contact,
    ContactGroup,
    Easify,
    EmailRecipientStatus,
    EmailSender,
    EmailSent,
    EmailStatus,
    Page,
    Paginator,
    PhoneNumber,
    RateLimit,
    RateLimitError,
    RateLimits,
    RawResponse,
    RawResponses,
    ReadOptions,
    RecipientType,
    RequestOptions,
    SmsRecord,
    SmsSent,
    SmsStatus,
    SmsStatusInfo,
    SmsTemplate,
    SubUser,
    VoiceCall,
    WaitOptions,
    WaitTimeoutError,
    from_dict,
    to_dict,
)
from easify_async.bulk import (
    BulkProgress,
    ContactResult,
    EmailMessage,
    EmailResult,
    EmailV3Message,
    EmailV3Result,
    JournalError,
    NewContact,
    Outcome,
    SmsMessage,
    SmsResult,
    describe_eta,
    estimate_duration,
)
from easify_async.ledgers import Ledger, LedgerEntry, RedisLedger, SqliteLedger
from easify_async.limiters import Lease, Limiter, LocalLimiter, RedisLimiter
from easify_async.sandbox import (
    DEMO_TOKEN,
    SANDBOX_BASE_URL,
    Account,
    Delivered,
    Delivery,
    Faults,
    Sandbox,
    SentEmail,
    SentSms,
    serve,
)
from easify_async.webhooks import (
    EmailEvent,
    EmailEventKind,
    MemoryReplayGuard,
    RedisReplayGuard,
    ReplayGuard,
    SmsEvent,
    StatusTracker,
    sign,
    verify_email_events,
    verify_sms_event,
)

Claim = Literal["new", "processing", "done"]


async def client_and_settings() -> None:
    easify = AsyncEasify("token", rate_limits=RateLimits().scaled(0.5))
    assert_type(easify.base_url, str)
    assert_type(easify.with_options(timeout=5.0, max_retries=0), AsyncEasify)
    assert_type(easify.with_options(headers={"X-Trace": "t"}), AsyncEasify)
    async with easify as entered:
        assert_type(entered, AsyncEasify)
    assert_type(await easify.aclose(), None)
    async with easify.raw_responses() as raw:
        assert_type(raw, RawResponses)
        assert_type(raw.last, RawResponse)
        assert_type(raw.all, tuple[RawResponse, ...])
        assert_type(raw.last.status, int)
        assert_type(raw.last.headers["X-RateLimit-Remaining"], str)
        assert_type(raw.last.headers.get("Retry-After"), str | None)
        assert_type(raw.last.body, bytes)
        assert_type(raw.last.route, str)
        assert_type(raw.last.elapsed, dt.timedelta)
    assert_type(RateLimit(15, 60.0).scaled(2), RateLimit)
    assert_type(RateLimits().limit_for("sms_send", RateLimit(1, 1.0)), RateLimit)


async def sms(easify: AsyncEasify) -> None:
    assert_type(await easify.sms.send("3152930000", "+13151350000", message="Hi"), SmsSent)
    key: str | None = None
    assert_type(
        await easify.sms.send("3152930000", "+13151350000", message="Hi", idempotency_key=key),
        SmsSent,
    )
    info = await easify.sms.status("315")
    assert_type(info, SmsStatusInfo)
    assert_type(info.status, SmsStatus)
    assert_type(info.status.is_final, bool)
    assert_type(await easify.sms.wait_for_final_status("315", timeout=60), SmsStatusInfo)
    report = easify.sms.report(from_date=dt.date(2026, 1, 1), to_date="2026-01-31")
    assert_type(report, AsyncPaginator[SmsRecord])
    assert_type(easify.sms.chat_history("3152930000", "+13151350000"), AsyncPaginator[SmsRecord])
    assert_type(easify.sms.templates(limit=5), AsyncPaginator[SmsTemplate])
    rows = [SmsMessage(from_number="3152930000", to_number="+13151350000", message="Hi")]
    assert_type(easify.sms.send_many(rows), AsyncGenerator[SmsResult, None])


async def per_call_options(easify: AsyncEasify, blocking: Easify) -> None:
    """Every call's ``**options`` (RequestOptions / ReadOptions / WaitOptions) leave its
    result's type as it is, on both clients."""
    sent = await easify.sms.send(
        "3152930000",
        "+13151350000",
        message="Hi",
        timeout=httpx.Timeout(5.0),
        max_retries=0,
        extra_headers={"X-Request-Id": "r-1"},
    )
    assert_type(sent, SmsSent)
    assert_type(await easify.sms.status("315", timeout=2.5, extra_query={"a": 1}), SmsStatusInfo)
    assert_type(easify.sms.templates(limit=5, extra_query={"a": "b"}), AsyncPaginator[SmsTemplate])
    final = await easify.sms.wait_for_final_status("315", timeout=60, max_retries=1)
    assert_type(final, SmsStatusInfo)
    assert_type(await easify.contacts.delete(1, max_retries=2), None)
    assert_type(blocking.sms.send("3152930000", "+1315", message="Hi", timeout=1), SmsSent)
    options: RequestOptions = {"timeout": 5.0, "extra_headers": {"X-A": "1"}}
    assert_type(await easify.sms.send("3152930000", "+1315", message="Hi", **options), SmsSent)
    reads: ReadOptions = {"extra_query": {"debug": "1"}, "max_retries": 0}
    assert_type(blocking.sms.templates(**reads), Paginator[SmsTemplate])
    waits: WaitOptions = {"extra_headers": {"X-A": "1"}}
    assert_type(
        await easify.campaigns.wait_for_completion(7, timeout=60, **waits), CampaignStatusInfo
    )


async def email(easify: AsyncEasify) -> None:
    assert_type(await easify.email.send("a@x.example", "b@x.example", "Hi"), EmailSent)
    rows = [EmailMessage(sender="a@x.example", receiver="b@x.example", subject="Hi")]
    assert_type(easify.email.send_many(rows), AsyncGenerator[EmailResult, None])
    assert_type(easify.email.senders(), AsyncPaginator[EmailSender])
    sent = await easify.v3.email.send("a@x.example", ["b@x.example"], "Hi")
    assert_type(sent, EmailSent)
    statuses = await easify.v3.email.status(sent.email_id)
    assert_type(statuses, list[EmailRecipientStatus])
    assert_type(statuses[0].status, EmailStatus)
    assert_type(statuses[0].recipient_type, RecipientType)
    v3_rows = [EmailV3Message(sender="a@x.example", receiver=("b@x.example",), subject="s")]
    assert_type(easify.v3.email.send_many(v3_rows), AsyncGenerator[EmailV3Result, None])


async def numbers_calls_and_sub_users(easify: AsyncEasify) -> None:
    numbers = await easify.phone_numbers.list()
    assert_type(numbers, list[PhoneNumber])
    updated = await easify.phone_numbers.update_webhook(1, webhook_url="https://x.example/in")
    assert_type(updated, PhoneNumber)
    assert_type(easify.voice_calls.history(), AsyncPaginator[VoiceCall])
    assert_type(easify.sub_users.list(), AsyncPaginator[SubUser])


async def campaigns(easify: AsyncEasify) -> None:
    sent = await easify.campaigns.send("Nov", ["+13152930000"], [1], b"phone\n+13151350000\n")
    assert_type(sent, CampaignSent)
    info = await easify.campaigns.status(sent.campaign_id)
    assert_type(info, CampaignStatusInfo)
    assert_type(info.status, CampaignStatus)
    assert_type(easify.campaigns.items(sent.campaign_id), AsyncPaginator[CampaignItem])
    done = await easify.campaigns.wait_for_completion(sent.campaign_id, timeout=60)
    assert_type(done, CampaignStatusInfo)


async def contact_groups_and_contacts(easify: AsyncEasify) -> None:
    assert_type(easify.contact_groups.list(), AsyncPaginator[ContactGroup])
    group = await easify.contact_groups.create(name="VIP")
    assert_type(group, ContactGroup)
    assert_type(await easify.contact_groups.update(group.id, name="VIPs"), ContactGroup)
    assert_type(await easify.contact_groups.delete(group.id), None)
    assert_type(easify.contacts.list(group_id=group.id), AsyncPaginator[Contact])
    contact = await easify.contacts.create(group_id=group.id, first_name="Ann")
    assert_type(contact, Contact)
    assert_type(await easify.contacts.update(contact.id, first_name="Anne"), Contact)
    assert_type(await easify.contacts.delete(contact.id), None)
    rows = [NewContact(group_id=group.id, first_name="Bo")]
    assert_type(easify.contacts.create_many(rows), AsyncGenerator[ContactResult, None])


async def pages(easify: AsyncEasify) -> None:
    templates = easify.sms.templates()
    first = await templates
    assert_type(first, Page[SmsTemplate])
    assert_type(first.items, list[SmsTemplate])
    assert_type(first.total, int)
    assert_type(first.has_next_page(), bool)
    assert_type(await first.next_page(), Page[SmsTemplate])
    assert_type(templates.__aiter__(), AsyncIterator[SmsTemplate])
    async for template in templates:
        assert_type(template, SmsTemplate)
    assert_type(len(first), int)
    for item in first:
        assert_type(item, SmsTemplate)
    assert_type(list(first), list[SmsTemplate])


async def results_as_data(easify: AsyncEasify, page: Page[SmsTemplate], result: SmsResult) -> None:
    sent = await easify.sms.send(from_number="3152930000", to_number="+13151350000", message="Hi")
    data = to_dict(sent)
    assert_type(data, dict[str, Any])
    assert_type(from_dict(data, SmsSent), SmsSent)
    assert_type(from_dict(to_dict(page), Page[SmsTemplate]), Page[SmsTemplate])
    assert_type(from_dict(to_dict(result), SmsResult), SmsResult)


async def bulk_results(easify: AsyncEasify) -> None:
    def progress(p: BulkProgress) -> None:
        assert_type(p.done, int)
        assert_type(p.total, int | None)

    rows = [SmsMessage(from_number="3152930000", to_number="+13151350000", message="Hi")]
    async for result in easify.sms.send_many(rows, journal="run.db", on_progress=progress):
        assert_type(result.ok, bool)
        assert_type(result.maybe_sent, bool)
        assert_type(result.outcome, Outcome)
        assert_type(result.error, Exception | None)
        assert_type(result.item, SmsMessage)
        assert_type(result.sms_id, str | None)
    assert_type(describe_eta(10, RateLimit(15, 60.0), noun="SMS"), str)
    assert_type(estimate_duration(10, RateLimit(15, 60.0)), float)


def errors(
    api: APIError,
    limited: RateLimitError,
    connection: APIConnectionError,
    argument: ArgumentError,
    waited: WaitTimeoutError,
    campaign: CampaignTimeoutError,
    journal: JournalError,
) -> None:
    assert_type(api.status_code, int)
    assert_type(api.message, str)
    assert_type(api.errors, dict[str, list[str]])
    assert_type(api.maybe_sent, bool)
    assert_type(api.response, httpx.Response | None)
    assert_type(limited.retry_after, float)
    assert_type(connection.maybe_sent, bool)
    assert_type(argument.argument, str)
    assert_type(waited.last_status, str | None)
    assert_type(waited.timeout, float)
    assert_type(campaign.campaign_id, int)
    assert_type(campaign.last, CampaignStatusInfo | None)
    assert_type(journal.maybe_sent, bool)


async def webhooks(body: bytes, headers: dict[str, str]) -> None:
    event = verify_sms_event(body, headers, secret="s3cret")
    assert_type(event, SmsEvent)
    assert_type(event.status, SmsStatus)
    assert_type(event.created_at, dt.datetime | None)
    events = verify_email_events(body, headers, secret=["new", "old"])
    assert_type(events, list[EmailEvent])
    assert_type(events[0].event, EmailEventKind)
    assert_type(sign(b"{}", secret="s3cret"), str)
    tracker = StatusTracker()
    assert_type(tracker.update("315", SmsStatus.DELIVERED), SmsStatus)
    assert_type(tracker.get("315"), SmsStatus | None)
    guard: ReplayGuard = MemoryReplayGuard()
    assert_type(await guard.claim("k"), Claim)
    assert_type(await guard.confirm("k"), None)
    assert_type(await guard.forget("k"), None)
    assert_type(await guard.remembers_since(), float)
    redis_guard = RedisReplayGuard("redis://127.0.0.1:6379/0")
    assert_type(await redis_guard.claim("k"), Claim)
    assert_type(await redis_guard.aclose(), None)


async def limiters(limiter: Limiter, shared: RedisLimiter) -> None:
    lease = await limiter.acquire("token:sms_send", limit=15, hold=60.0)
    assert_type(lease, Lease)
    assert_type(await lease.release(counted=False), None)
    assert_type(await limiter.pause("token:sms_send", 5.0), None)
    assert_type(await limiter.aclose(), None)
    assert_type(await shared.aclose(), None)
    uses: list[Limiter] = [LocalLimiter(), RedisLimiter("redis://127.0.0.1:6379/0")]
    del uses


async def sandbox() -> None:
    box = Sandbox(period=1.0, faults=Faults(server_error=0.1, seed=1))
    assert_type(box.transport(), httpx.AsyncBaseTransport)
    assert_type(box.account(), Account)
    assert_type(box.add_account(Account(token="t")), Account)
    assert_type(box.set_delivery("+13151350000", Delivery(SmsStatus.FAILED)), None)
    assert_type(box.sent_sms, list[SentSms])
    assert_type(box.sent_emails, list[SentEmail])
    assert_type(box.rejected_requests, int)
    assert_type(box.faults, Faults)
    assert_type(box.faults.queue("drop"), None)
    assert_type(box.webhooks.delivered, list[Delivered])
    async with box as entered:
        assert_type(entered, Sandbox)
    async with serve(box) as base_url:
        assert_type(base_url, str)
    assert_type(SANDBOX_BASE_URL, str)
    async with AsyncEasify(DEMO_TOKEN, transport=box.transport()) as easify:
        assert_type(easify.base_url, str)  # SANDBOX_BASE_URL
        assert_type(await easify.aclose(), None)  # closed: no ResourceWarning


def adapters() -> None:
    from aiohttp import web
    from fastapi import APIRouter

    from easify_async.webhooks.aiohttp import email_handler, sms_handler
    from easify_async.webhooks.fastapi import webhook_router

    async def on_sms(event: SmsEvent) -> None: ...

    async def on_email(events: list[EmailEvent]) -> None: ...

    sms = sms_handler(on_sms, secret="s3cret")
    assert_type(sms, Callable[[web.Request], Awaitable[web.StreamResponse]])
    mail = email_handler(on_email, secret="s3cret")
    assert_type(mail, Callable[[web.Request], Awaitable[web.StreamResponse]])
    assert_type(webhook_router(secret="s3cret", on_sms=on_sms, on_email=on_email), APIRouter)


async def ledgers() -> None:
    ledger: Ledger = SqliteLedger("sends.db", lease=15.0, wait=30.0)
    shared: Ledger = RedisLedger("redis://127.0.0.1:6379/0", durability="unchecked")
    easify = AsyncEasify(ledger=ledger).with_options(ledger=shared)
    assert_type(await easify.contacts.create(group_id=1, first_name="A", idempotency_key="k"), Contact)
    entry = await ledger.entry("k")
    assert_type(entry, LedgerEntry | None)
    assert_type(await ledger.settle("k", sent=False), LedgerEntry | None)
