"""Never run: type-checked with mypy --strict as a user would write against the public API."""

from __future__ import annotations

import datetime as dt

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
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox


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

        rows = [SmsMessage(from_number="3152930000", to_number="+13151350000", message="Hi", key="1")]
        print(describe_eta(len(rows), limits.sms_send, noun="SMS"))
        async for result in easify.sms.send_many(rows, journal="run.db", on_progress=progress):
            done: SmsResult = result
            ok: bool = done.ok or done.outcome is Outcome.MAYBE_SENT
            sms_id: str | None = done.sms_id
            del ok, sms_id

    sandbox = Sandbox(period=1.0)
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
