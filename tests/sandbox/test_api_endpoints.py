"""Numbers, history, templates and campaigns: the client against the sandbox, in process
and over uvicorn."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest

from easify_async import (
    AsyncEasify,
    AuthenticationError,
    BadRequestError,
    CampaignStatus,
    InvalidSenderError,
    PaymentRequiredError,
    PermissionDeniedError,
    SmsStatus,
)
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Account, Delivery, Sandbox
from easify_async.sandbox._api_state import HistoryRecord
from tests.sandbox.conftest import Connect, easify_on

pytestmark = pytest.mark.anyio


CSV = b"phone_number\n+13151350000\n3151350001\n+447700900123\nnot a number\n"


async def test_numbers_are_listed_and_their_webhook_set(connect: Connect) -> None:
    """list() gives the whole list with ids and gateways; update_webhook sets the URL."""
    sandbox = Sandbox()
    sandbox.account().from_numbers.add("3152930001")
    async with connect(sandbox) as easify:
        numbers = await easify.phone_numbers.list()
        assert [n.number for n in numbers] == ["+13152930000", "+13152930001"]
        assert {n.gateway for n in numbers} == {"Twilio", "Easify SMS Gateway"}
        updated = await easify.phone_numbers.update_webhook(
            numbers[1].id, webhook_url="https://x.example/in"
        )
        assert updated.webhook_url == "https://x.example/in"
        assert [n.webhook_url for n in await easify.phone_numbers.list()] == [
            None,
            "https://x.example/in",
        ]
        with pytest.raises(BadRequestError, match="Invalid phone number id") as caught:
            await easify.phone_numbers.update_webhook(999, webhook_url="https://x.example/in")
        assert caught.value.maybe_sent is False


async def test_the_report_is_built_from_the_sandbox_own_sends(connect: Connect) -> None:
    """What was sent today comes back from sms.report, filtered and in the order asked."""
    sandbox = Sandbox()
    sandbox.set_delivery("+13151350001", Delivery(SmsStatus.FAILED, remarks="Carrier error"))
    today = dt.datetime.now(dt.timezone.utc).date()
    async with connect(sandbox) as easify:
        for receiver in ("+13151350000", "+13151350001", "+13151350000"):
            await easify.sms.send(DEMO_FROM_NUMBER, receiver, message=f"to {receiver}")
        every = [r async for r in easify.sms.report(from_date=today, to_date=today, order="asc")]
        failed = [
            r async for r in easify.sms.report(from_date=today, to_date=today, status="Failed")
        ]
        to_one = [
            r
            async for r in easify.sms.report(
                from_date=today, to_date=today, receiver="3151350000", country_code="+1"
            )
        ]
    assert [r.id for r in every] == sorted(int(s.sms_id) for s in sandbox.sent_sms)
    assert [(r.receiver, r.status, r.reason) for r in failed] == [
        ("+13151350001", SmsStatus.FAILED, "Carrier error")
    ]
    assert [r.receiver for r in to_one] == ["+13151350000", "+13151350000"]


async def test_a_ninety_day_report_walks_three_accepted_queries(connect: Connect) -> None:
    """The sandbox refuses over 30 days a query; the client's split walks 90 in order."""
    sandbox = Sandbox()
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    sandbox.api.add_history(
        DEMO_TOKEN,
        *(
            HistoryRecord(
                id=i + 1,
                sender="+13152930000",
                receiver="+13151350000",
                message=f"day {i}",
                status="Delivered",
                created_at=start + dt.timedelta(days=i),
            )
            for i in range(90)
        ),
    )
    async with connect(sandbox) as easify:
        newest_first = [
            r.id
            async for r in easify.sms.report(from_date="2026-01-01", to_date="2026-03-31", limit=7)
        ]
        oldest_first = [
            r.id
            async for r in easify.sms.report(
                from_date="2026-01-01", to_date="2026-03-31", order="asc"
            )
        ]
    assert newest_first == list(range(90, 0, -1))
    assert oldest_first == list(range(1, 91))


async def test_chat_history_is_the_conversation_between_two_numbers(connect: Connect) -> None:
    """Only the messages between the two numbers, newest first; a foreign sender is a 400."""
    sandbox = Sandbox()
    async with connect(sandbox) as easify:
        for text, receiver in (("a", "+13151350000"), ("b", "+13151350009"), ("c", "+13151350000")):
            await easify.sms.send(DEMO_FROM_NUMBER, receiver, message=text)
        page = await easify.sms.chat_history(DEMO_FROM_NUMBER, "+13151350000")
        assert [m.message for m in page.items] == ["c", "a"]
        assert {m.send_by for m in page.items} == {"sender"}
        with pytest.raises(BadRequestError, match="sender"):
            await easify.sms.chat_history("3150000000", "+13151350000")


async def test_templates_are_paginated(connect: Connect) -> None:
    """Templates page by page at limit=2; every template once by iteration."""
    async with connect(Sandbox()) as easify:
        first = await easify.sms.templates(limit=2)
        assert (first.current_page, first.last_page, first.total, len(first.items)) == (1, 2, 3, 2)
        second = await first.next_page()
        assert [t.id for t in first.items + second.items] == [7, 8, 9]
        assert not second.has_next_page()
        assert [t.name async for t in easify.sms.templates()] == ["Welcome", "Reminder", "November"]


async def test_a_campaign_runs_to_completion(connect: Connect) -> None:
    """send counts valid rows; status moves to Completed; items say each recipient's fate.

    The campaign prepares for an hour of a clock the test moves, so the first read sees it
    Preparing however slow the machine (a 50 ms preparation was over before it on one).
    """
    moved = 0.0
    sandbox = Sandbox(clock=lambda: time.monotonic() + moved)
    sandbox.api.campaign_prepare = 3600.0
    sandbox.api.campaign_rate = 200.0
    # Issue 20.11: a blacklisted row is invalid; a failing delivery makes a Failed item.
    sandbox.set_delivery("+447700900123", Delivery(SmsStatus.FAILED, remarks="Blacklisted"))
    async with connect(sandbox) as easify:
        sent = await easify.campaigns.send("November", ["+13152930000"], [7, 8], CSV)
        assert (sent.recipients_in_file, sent.valid_recipients, sent.invalid_recipients) == (
            4,
            3,
            1,
        )
        info = await easify.campaigns.status(sent.campaign_id)
        assert info.status is CampaignStatus.PREPARING
        moved = 3600.0  # prepared: it sends 200 a second from here
        done = await easify.campaigns.wait_for_completion(
            sent.campaign_id, timeout=10, poll_interval=0.05
        )
        assert done.status is CampaignStatus.COMPLETED
        assert (done.success_count, done.failed_count, done.credits_spent) == (2, 1, 2)
        assert done.completed_at is not None
        items = [i async for i in easify.campaigns.items(sent.campaign_id)]
    assert [(i.receiver, i.status, i.message) for i in items] == [
        ("+13151350000", SmsStatus.SUCCESS, "Welcome!"),
        ("+13151350001", SmsStatus.SUCCESS, "A reminder from us."),
        ("+447700900123", SmsStatus.FAILED, "Welcome!"),
    ]


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        pytest.param(
            {"from_numbers": ["+13150000000"]},
            InvalidSenderError,
            "from number",
            id="foreign-number",
        ),
        pytest.param({"template_ids": [7, 99]}, BadRequestError, "template", id="unknown-template"),
        pytest.param(
            {"recipients": b"phone_number\nann\n"},
            BadRequestError,
            "No valid recipients",
            id="no-valid-rows",
        ),
    ],
)
async def test_campaign_refusals_map_to_typed_errors(
    connect: Connect, change: dict[str, object], error: type[Exception], match: str
) -> None:
    """The server's 400s for a campaign send are typed and say nothing was sent."""
    arguments: dict[str, object] = {
        "campaign_name": "N",
        "from_numbers": ["+13152930000"],
        "template_ids": [7],
        "recipients": CSV,
        **change,
    }
    async with connect(Sandbox()) as easify:
        with pytest.raises(error, match=match) as caught:
            await easify.campaigns.send(**arguments)  # type: ignore[arg-type]
    assert getattr(caught.value, "maybe_sent", None) is False


async def test_an_unknown_campaign_is_a_bad_request(connect: Connect) -> None:
    """status and items of a campaign the token does not have: 400 Invalid campaign id."""
    async with connect(Sandbox()) as easify:
        with pytest.raises(BadRequestError, match="Invalid campaign id"):
            await easify.campaigns.status(12345)
        with pytest.raises(BadRequestError, match="Invalid campaign id"):
            await easify.campaigns.items(12345)


@pytest.mark.parametrize(
    ("account", "error"),
    [
        pytest.param(None, AuthenticationError, id="401"),
        pytest.param(Account(token="2|broke", subscribed=False), PaymentRequiredError, id="402"),
        pytest.param(Account(token="3|basic", enterprise=False), PermissionDeniedError, id="403"),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda e: e.phone_numbers.list(), id="numbers"),
        pytest.param(
            lambda e: e.phone_numbers.update_webhook(1, webhook_url="https://x.example"),
            id="webhook",
        ),
        pytest.param(
            lambda e: e.sms.report(from_date="2026-11-01", to_date="2026-11-02"), id="report"
        ),
        pytest.param(lambda e: e.sms.chat_history(DEMO_FROM_NUMBER, "+13151350000"), id="chat"),
        pytest.param(lambda e: e.sms.templates(), id="templates"),
        pytest.param(
            lambda e: e.campaigns.send("N", ["+13152930000"], [7], CSV), id="campaign-send"
        ),
        pytest.param(lambda e: e.campaigns.status(1), id="campaign-status"),
        pytest.param(lambda e: e.campaigns.items(1), id="campaign-items"),
    ],
)
async def test_the_common_errors_of_every_endpoint(
    account: Account | None, error: type[Exception], call: Callable[[AsyncEasify], object]
) -> None:
    """401, 402 and 403 as §1.5 documents them, typed, on every new endpoint."""
    sandbox = Sandbox()
    token = "9|nobody" if account is None else sandbox.add_account(account).token
    async with easify_on(sandbox, "in-process", token) as easify:
        with pytest.raises(error):
            await call(easify)  # type: ignore[misc]


async def test_a_report_range_the_server_refuses_is_a_validation_error() -> None:
    """Sent raw, a 31-day range is the sandbox's 422 (the client never sends one)."""
    sandbox = Sandbox()
    async with easify_on(sandbox, "in-process") as easify:
        response = await easify._http._client.get(
            "sms/report", params={"from_date": "2026-01-01", "to_date": "2026-02-01"}
        )
    assert response.status_code == 422
    assert "30 days" in response.json()["message"]
