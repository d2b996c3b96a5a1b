"""Never run: code that must NOT type-check, each expected error silenced on its line.

mypy --strict (warn_unused_ignores) and basedpyright (reportUnnecessaryTypeIgnoreComment)
fail on an ignore that silences nothing: if one of these errors disappears (a lazy name
typed as ``Any`` again, an argument accepting anything), the type check fails.
"""

from __future__ import annotations

from easify_async import AsyncEasyfy  # type: ignore[attr-defined]
from easify_async import NoSuchName  # type: ignore[attr-defined]
from easify_async.limiters import RedisLimitr  # type: ignore[attr-defined]
from easify_async.models import SmsRecrd  # type: ignore[attr-defined]
from easify_async.webhooks import RedisReplayGard  # type: ignore[attr-defined]

from easify_async import AsyncEasify, Page, RateLimit, SmsRecord, SmsStatusInfo, SmsTemplate
from easify_async._bulk import SmsMessage
from easify_async._encoding import encode
from easify_async._endpoints.sms import encode_sms_send
from easify_async._http import HttpCore
from easify_async._requests import SmsStatusRequest
from easify_async._routes import SMS_SEND, SMS_TEMPLATES
from easify_async.sandbox import Sandbox
from easify_async.webhooks import verify_sms_event

del AsyncEasyfy, NoSuchName, RedisLimitr, SmsRecrd, RedisReplayGard


async def wrong_calls(easify: AsyncEasify, body: bytes) -> None:
    """Arguments of the wrong type, options passed by position, misspelt keywords."""
    await easify.sms.send(3152930000, "+13151350000", message="Hi")  # type: ignore[arg-type]
    await easify.sms.send("3152930000", "+13151350000", "Hi")  # type: ignore[call-arg]
    await easify.sms.send("3152930000", "+1315", message="Hi", idempotency_key=7)  # type: ignore[arg-type]
    AsyncEasify(ledger="ledger.db")  # type: ignore[arg-type]
    await easify.sms.status(["315"])  # type: ignore[arg-type]
    easify.sms.templates(limit="5")  # type: ignore[arg-type]
    await easify.email.send("a@x.example", "b@x.example", "Hi", shedule_time="x")  # type: ignore[call-arg]
    await easify.contacts.create(group_id=1)  # type: ignore[call-arg]
    RateLimit("15", 60.0)  # type: ignore[arg-type]
    verify_sms_event(body, {})  # type: ignore[call-arg]
    Sandbox(period="1")  # type: ignore[arg-type]
    # Per-call options: typed by their one definition (RequestOptions, ReadOptions).
    await easify.sms.send("3152930000", "+1315", message="Hi", timeout="5")  # type: ignore[arg-type]
    await easify.sms.send("3152930000", "+1315", message="Hi", extra_query={})  # type: ignore[call-arg]
    await easify.sms.status("315", max_retries=None)  # type: ignore[arg-type]
    await easify.sms.status("315", timeot=5)  # type: ignore[call-arg]


async def wrong_results(easify: AsyncEasify) -> None:
    """A result used as what it is not."""
    sent: SmsStatusInfo = await easify.sms.send("3152930000", "+1315", message="Hi")  # type: ignore[assignment]
    page: Page[SmsTemplate] = easify.sms.templates()  # type: ignore[assignment]
    one: Page[SmsRecord] = await easify.sms.templates()  # type: ignore[assignment]
    status: str = (await easify.sms.status("315")).remarks.status  # type: ignore[attr-defined]
    async for record in easify.sms.report(from_date="2026-01-01", to_date="2026-01-31"):
        record.sms_idd  # type: ignore[attr-defined]  # noqa: B018
    del sent, page, one, status


async def wrong_route_rows(http: HttpCore) -> None:
    """The route table's columns hold the request path to each row: a request model sent
    to another route, or a result read as another row's, is a type error."""
    status = encode(SmsStatusRequest(sms_id="1"), query=True)
    await http.call(SMS_SEND, status)  # type: ignore[misc]
    sent: SmsStatusInfo = await http.call(SMS_SEND, encode_sms_send(SmsMessage("1", "2")))  # type: ignore[arg-type]
    http.paginate(SMS_TEMPLATES, SmsStatusRequest(sms_id="1"))  # type: ignore[misc]
    del sent
