"""Never run: type-checked with mypy --strict as a user would write against the public API."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from easify_async import (
    APIConnectionError,
    AsyncEasify,
    EmailSent,
    RateLimit,
    RateLimitError,
    RateLimits,
    SmsSent,
    SmsStatus,
    SmsStatusInfo,
)
from easify_async.bulk import BulkProgress, Outcome, SmsMessage, SmsResult, describe_eta
from easify_async.limiters import Limiter, LocalLimiter
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox, Seed, SeedGroup


async def user_code() -> None:
    limiter: Limiter = LocalLimiter()
    limits = RateLimits(sms_send=RateLimit(15, 60.0), margin=1.0)
    async with AsyncEasify("token", rate_limits=limits, limiter=limiter) as easify:
        sent: SmsSent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
        info: SmsStatusInfo = await easify.sms.status(sent.sms_id)
        final: bool = info.status.is_final
        same: bool = info.status is SmsStatus.DELIVERED
        info = await easify.sms.wait_for_final_status(sent.sms_id, timeout=600)
        mail: EmailSent = await easify.email.send(
            "qa@example.com",
            "ann@example.com",
            "Hello",
            message="<p>Hi</p>",
            schedule_time=dt.datetime(2030, 1, 1, 9, 0),
            schedule_timezone="America/New_York",
            additional_data={"id": 232},
        )
        email_id: str = mail.email_id
        del final, same, email_id

        def progress(p: BulkProgress) -> None:
            print(p.sent, p.failed, p.waiting, p.in_flight, p.total)

        rows = [
            SmsMessage(from_number="3152930000", to_number="+13151350000", message="Hi", key="1")
        ]
        print(describe_eta(len(rows), limits.sms_send, noun="SMS"))
        async for result in easify.sms.send_many(rows, journal="run.db", on_progress=progress):
            done: SmsResult = result
            ok: bool = done.ok or done.outcome is Outcome.MAYBE_SENT
            sms_id: str | None = done.sms_id
            del ok, sms_id

    sandbox = Sandbox(period=1.0)
    sandbox.seed(Seed(token=DEMO_TOKEN, groups=[SeedGroup(name="VIP", id=40)]), blacklist=[])
    sandbox.seed_json('{"accounts": []}')
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
    try:
        pass
    except RateLimitError as exc:
        wait: float = exc.retry_after
        del wait
    except APIConnectionError as exc:
        maybe: bool = exc.maybe_sent
        del maybe


async def the_rest_of_the_api() -> None:
    from easify_async import (
        AsyncPaginator,
        CampaignItem,
        CampaignSent,
        CampaignStatus,
        CampaignStatusInfo,
        CampaignTimeoutError,
        Page,
        PhoneNumber,
        SmsRecord,
        SmsTemplate,
    )

    limits = RateLimits(overrides={"sms_report": RateLimit(30, 60.0)}).scaled(0.5)
    async with AsyncEasify("token", rate_limits=limits) as easify:
        numbers: list[PhoneNumber] = await easify.phone_numbers.list()
        number: PhoneNumber = await easify.phone_numbers.update_webhook(
            numbers[0].id, webhook_url="https://x.example/in"
        )
        hook: str | None = number.webhook_url
        report: AsyncPaginator[SmsRecord] = easify.sms.report(
            from_date=dt.date(2026, 11, 1),
            to_date="2026-11-30",
            status=SmsStatus.FAILED,
            receiver="3151350000",
            country_code="+1",
            order="asc",
            limit=50,
        )
        async for record in report:
            when: dt.datetime | None = record.created_at
            status: SmsStatus | None = record.status
            del when, status
        chat: Page[SmsRecord] = await easify.sms.chat_history("3152930000", "+13151350000")
        if chat.has_next_page():
            chat = await chat.next_page()
        first: Page[SmsTemplate] = await easify.sms.templates(limit=5)
        total: int = first.total + first.per_page + first.current_page + first.last_page
        async for template in easify.sms.templates():
            template_id: int = template.id
            del template_id
        sent: CampaignSent = await easify.campaigns.send(
            "November",
            ["+13152930000"],
            [first.items[0].id],
            b"phone\n+13151350000\n",
            schedule_time="2030-01-01 09:00:00",
            schedule_timezone="America/New_York",
        )
        info: CampaignStatusInfo = await easify.campaigns.status(sent.campaign_id)
        final: bool = info.status.is_final or info.status is CampaignStatus.HOLD
        async for item in easify.campaigns.items(sent.campaign_id, limit=100):
            got: CampaignItem = item
            del got
        try:
            info = await easify.campaigns.wait_for_completion(sent.campaign_id, timeout=3600)
        except CampaignTimeoutError as exc:
            last: CampaignStatusInfo | None = exc.last
            del last
        spent: int = info.credits_spent
        del hook, total, final, spent


async def email_v3_calls_and_sub_users(easify: AsyncEasify) -> None:
    from collections.abc import Mapping
    from typing import Any

    from easify_async import (
        AsyncPaginator,
        EmailRecipientStatus,
        EmailSender,
        EmailStatus,
        Page,
        RecipientType,
        SubUser,
        VoiceCall,
    )
    from easify_async.bulk import EmailV3Message, EmailV3Result

    senders: AsyncPaginator[EmailSender] = easify.email.senders(limit=20)
    async for sender in senders:
        address: str = sender.from_email
        del address
    first: Page[EmailSender] = await easify.email.senders()
    sent: EmailSent = await easify.v3.email.send(
        "qa@example.com",
        ["a@x.example", "b@x.example"],
        "Hi",
        cc=["c@x.example"],
        bcc=("d@x.example",),
        message="<p>Hi</p>",
        attachment=b"%PDF",
        additional_data={"order": 42},
        from_name="QA",
    )
    statuses: list[EmailRecipientStatus] = await easify.v3.email.status(
        sent.email_id, receiver="a@x.example"
    )
    for item in statuses:
        kind: RecipientType = item.recipient_type
        ok: bool = item.status is EmailStatus.SUCCESS and item.status.is_known
        email_id: str = item.email_id
        del kind, ok, email_id
    rows = [
        EmailV3Message(sender="qa@example.com", receiver=("a@x.example",), subject="s"),
        # What v3.email.send takes, the item takes: lists, any mapping.
        EmailV3Message(
            "qa@example.com",
            ["a@x.example"],
            "s",
            cc=["c@x.example"],
            attachment=[b"%PDF"],
            additional_data=MappingProxyType({"order": 42}),
        ),
    ]
    async for result in easify.v3.email.send_many(rows, journal="v3.db"):
        done: EmailV3Result = result
        maybe_id: str | None = done.email_id
        del maybe_id
    calls: AsyncPaginator[VoiceCall] = easify.voice_calls.history(
        from_number="+13152930000",
        to=["+13151350000"],
        from_date=dt.date(2026, 11, 1),
        to_date="2026-11-30",
        public_call=True,
        include_subusers=False,
        order="asc",
        limit=50,
    )
    async for call in calls:
        caller: str | None = call.from_number
        extra: Mapping[str, Any] = call.extra
        del caller, extra
    async for sub in easify.sub_users.list(email="ann@example.com"):
        user: SubUser = sub
        async with easify.with_options(api_token=user.easify_api_token, timeout=5.0) as as_sub:
            await as_sub.sms.send("3152930000", "+13151350000", message="Hi")
    child: AsyncEasify = easify.with_options(max_retries=0, retry_deadline=30.0)
    del first, child


async def contact_groups_and_contacts(easify: AsyncEasify) -> None:
    from easify_async import (
        AsyncPaginator,
        BadRequestError,
        Contact,
        ContactGroup,
        DefaultGroupError,
        InvalidContactError,
        InvalidGroupError,
        Page,
    )

    group: ContactGroup = await easify.contact_groups.create(name="VIP")
    groups: AsyncPaginator[ContactGroup] = easify.contact_groups.list(order="asc", limit=20)
    first: Page[ContactGroup] = await groups
    count: int = first.items[0].contacts_count
    renamed: ContactGroup = await easify.contact_groups.update(group.id, name="VIPs")
    contact: Contact = await easify.contacts.create(
        group_id=group.id,
        first_name="Ann",
        last_name="Lee",
        phone_number="3151350000",
        country_code="+1",
        email_address="ann@x.example",
        company="Acme",
        additional_1="a",
        additional_2=None,
        additional_3="c",
    )
    phone: str | None = contact.phone_number
    async for each in easify.contacts.list(group_id=group.id, order="desc", limit=50):
        updated: Contact = await easify.contacts.update(
            each.id, first_name="Anne", email_address="anne@x.example"
        )
        del updated
    await easify.contacts.delete(contact.id)
    from easify_async.bulk import ContactResult, NewContact

    rows = [NewContact(group_id=group.id, first_name="Bo", email_address="bo@x.example", key="1")]
    results = easify.contacts.create_many(rows, journal="import.db", on_progress=print)
    async for result in results:
        contact_id: int | None = result.contact_id
        typed: ContactResult = result
        item: NewContact = result.item
        del contact_id, typed, item
    try:
        await easify.contact_groups.delete(group.id)
    except (DefaultGroupError, InvalidGroupError, InvalidContactError) as exc:
        refused: BadRequestError = exc
        del refused
    del count, renamed, phone


async def bulk_stops_and_journals(easify: AsyncEasify) -> None:
    """Stop rules and settling maybe-sent rows, as the README shows them."""

    from easify_async.bulk import (
        AMBIGUOUS,
        BulkStoppedError,
        Journal,
        JournalEntry,
        Settlement,
        SmsMessage,
    )

    rows = [
        SmsMessage("3152930000", "+13151350000", message="Hi", key="c-1"),
        SmsMessage("3152930000", "+13151350000", message="Hi", lead_id=123, key="c-2"),
    ]
    try:
        async for _ in easify.sms.send_many(rows, journal="run.db", max_failures=10):
            pass
    except BulkStoppedError as exc:
        cause: BaseException = exc.error
        failures: int | None = exc.failures
        key: str = exc.key
        del cause, failures, key
    async with await Journal.open("run.db") as journal:
        entries: list[JournalEntry] = await journal.entries(states=AMBIGUOUS)
        when: dt.datetime | None = entries[0].attempted_at
        entry: JournalEntry = await journal.resolve("c-1", sent=True, remote_id="31533")
        settled: list[Settlement] = await journal.reconcile(easify, server_timezone="UTC")
        del when, entry, settled
    await easify.email.send(
        "qa@example.com", "ann@example.com", "S", attachment=("report.pdf", b"%PDF")
    )
