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
from easify_async.limiters import Limiter, LocalLimiter


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
    try:
        pass
    except RateLimitError as exc:
        wait: float = exc.retry_after
        del wait
    except APIConnectionError as exc:
        maybe: bool = exc.maybe_sent
        del maybe
