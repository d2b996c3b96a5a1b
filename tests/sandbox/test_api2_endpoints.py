"""Senders, v3 email, voice calls and sub-users: the client against the sandbox, in process
and over uvicorn."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest

from easify_async import (
    AsyncEasify,
    AuthenticationError,
    BadRequestError,
    EmailStatus,
    InsufficientCreditsError,
    InvalidSenderError,
    PaymentRequiredError,
    PermissionDeniedError,
    RecipientType,
)
from easify_async.bulk import EmailV3Message, Outcome
from easify_async.sandbox import DEMO_SENDER, DEMO_TOKEN, Account, Sandbox
from easify_async.sandbox._extra_state import CallRecord
from easify_async.webhooks import verify_email_events
from tests.sandbox.conftest import Connect, assert_throttled_at, easify_on

pytestmark = pytest.mark.anyio


async def test_senders_are_listed_page_by_page(connect: Connect) -> None:
    """email.senders walks every verified sender; await gives the first page."""
    sandbox = Sandbox()
    sandbox.account().senders.update({"b@sandbox.easify.test", "c@sandbox.easify.test"})
    async with connect(sandbox) as easify:
        first = await easify.email.senders(limit=2)
        every = [s async for s in easify.email.senders()]
    assert (first.total, first.last_page, len(first.items)) == (3, 2, 2)
    assert sorted(s.from_email for s in every) == sorted(sandbox.account().senders)
    assert len({s.id for s in every}) == 3
    assert every[0].from_name


async def test_a_v3_send_reaches_every_recipient_and_status_says_how(connect: Connect) -> None:
    """One v3 send to two receivers, a cc and a bcc: a string id; status lists all four."""
    sandbox = Sandbox()
    async with connect(sandbox) as easify:
        sent = await easify.v3.email.send(
            DEMO_SENDER,
            ["a@x.example", "b@x.example"],
            "Hi",
            cc=["c@x.example"],
            bcc=["d@x.example"],
            message="<p>Hi</p>",
            additional_data={"order": 42},
        )
        statuses = await easify.v3.email.status(sent.email_id)
        only_cc = await easify.v3.email.status(int(sent.email_id), receiver="c@x.example")
    assert sent.email_id == "674"
    assert [(s.receiver, s.recipient_type) for s in statuses] == [
        ("a@x.example", RecipientType.TO),
        ("b@x.example", RecipientType.TO),
        ("c@x.example", RecipientType.CC),
        ("d@x.example", RecipientType.BCC),
    ]
    assert {(s.email_id, s.status) for s in statuses} == {("674", EmailStatus.SUCCESS)}
    assert [s.receiver for s in only_cc] == ["c@x.example"]
    assert [e.receiver for e in sandbox.sent_emails] == [s.receiver for s in statuses]
    assert sandbox.account().email_credits == 1_000_000 - 4


async def test_a_v3_send_with_an_attachment_goes_as_multipart(connect: Connect) -> None:
    """Lists travel as receiver[] fields beside the file, and the server reads them."""
    sandbox = Sandbox()
    async with connect(sandbox) as easify:
        await easify.v3.email.send(
            DEMO_SENDER, ["a@x.example", "b@x.example"], "File", attachment=b"%PDF-1"
        )
    assert [(e.receiver, e.attachments) for e in sandbox.sent_emails] == [
        ("a@x.example", ("attachment",)),
        ("b@x.example", ("attachment",)),
    ]


@pytest.mark.parametrize(
    ("arrange", "error", "match"),
    [
        pytest.param(lambda s: None, InvalidSenderError, "Invalid Sender", id="foreign-sender"),
        pytest.param(
            lambda s: setattr(s.account(), "email_credits", 1),
            InsufficientCreditsError,
            "credits",
            id="credits",
        ),
    ],
)
async def test_v3_send_refusals_are_typed_and_not_sent(
    connect: Connect, arrange: Callable[[Sandbox], object], error: type[Exception], match: str
) -> None:
    """The server's 400s for a v3 send map to their classes with maybe_sent False."""
    sandbox = Sandbox()
    arrange(sandbox)
    sender = "other@x.example" if error is InvalidSenderError else DEMO_SENDER
    async with connect(sandbox) as easify:
        with pytest.raises(error, match=match) as caught:
            await easify.v3.email.send(sender, ["a@x.example", "b@x.example"], "Hi", message="m")
    assert getattr(caught.value, "maybe_sent", None) is False
    assert sandbox.sent_emails == []


async def test_an_invalid_address_fails_alone(connect: Connect) -> None:
    """Issue 20.12: an address on the invalid list ends Failed; the others are sent."""
    sandbox = Sandbox()
    sandbox.invalid_emails.add("B@x.example")
    async with connect(sandbox) as easify:
        sent = await easify.v3.email.send(
            DEMO_SENDER, ["a@x.example", "b@x.example"], "Hi", message="m"
        )
        statuses = await easify.v3.email.status(sent.email_id)
    assert [(s.receiver, s.status, s.remarks) for s in statuses] == [
        ("a@x.example", "Success", "success"),
        ("b@x.example", "Failed", "Invalid email address."),
    ]
    assert [e.receiver for e in sandbox.sent_emails] == ["a@x.example"]
    assert sandbox.account().email_credits == 1_000_000 - 1


async def test_an_unknown_v3_email_is_a_bad_request(connect: Connect) -> None:
    """status of an id the token never sent: 400, typed."""
    async with connect(Sandbox()) as easify:
        with pytest.raises(BadRequestError, match="Email ID"):
            await easify.v3.email.status("999")


async def test_the_v3_server_validates_what_the_client_would_refuse() -> None:
    """Sent raw, 51 receivers and a bad cc are the sandbox's 422s."""
    sandbox = Sandbox()
    async with easify_on(sandbox, "in-process") as easify:
        client = easify._http._client
        url = str(client.base_url).replace("/v2/", "/v3/") + "email/send"
        body = {"sender": DEMO_SENDER, "subject": "s", "message": "m"}
        many = await client.post(url, json={**body, "receiver": [f"u{i}@x.io" for i in range(51)]})
        bad = await client.post(url, json={**body, "receiver": ["a@x.io"], "cc": ["nope"]})
        missing = await client.post(url, json=body)
    assert (many.status_code, many.json()["errors"]) == (
        422,
        {"receiver": ["The receiver field must not have more than 50 items."]},
    )
    assert bad.json()["errors"] == {"cc.0": ["The cc.0 field must be a valid email address."]}
    assert missing.json()["message"] == "The receiver field is required."


async def test_v3_send_posts_one_signed_batch_per_recipient() -> None:
    """Each recipient gets v2's signed processed/delivered batch under the v3 email_id."""
    sandbox = Sandbox()
    received: list[tuple[bytes, dict[str, str]]] = []
    async with serve_receiver(received) as url:
        sandbox.account().email_webhook_url = url
        async with easify_on(sandbox, "in-process") as easify:
            sent = await easify.v3.email.send(
                DEMO_SENDER, ["a@x.example"], "Hi", cc=["c@x.example"], message="m"
            )
            with anyio.fail_after(10):
                while len(received) < 2:
                    await anyio.sleep(0.02)
    batches = [
        verify_email_events(body, headers, secret=sandbox.account().webhook_secret)
        for body, headers in received
    ]
    assert sorted(e.email for batch in batches for e in batch if str(e.event) == "processed") == [
        "a@x.example",
        "c@x.example",
    ]
    assert {e.email_id for batch in batches for e in batch} == {sent.email_id}
    assert sorted(str(e.event) for e in batches[0]) == ["delivered", "processed"]


@asynccontextmanager
async def serve_receiver(received: list[tuple[bytes, dict[str, str]]]) -> AsyncIterator[str]:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from easify_async.sandbox._server import serve_asgi

    async def hook(request: Request) -> Response:
        received.append((await request.body(), dict(request.headers)))
        return Response(status_code=200)

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    async with serve_asgi(app) as origin:
        yield f"{origin}/hook"


async def test_v3_send_many_goes_through_the_journal(connect: Connect, tmp_path: Path) -> None:
    """A v3 bulk run sends each item once; run again on its journal, nothing is resent."""
    sandbox = Sandbox()
    rows = [
        EmailV3Message(
            sender=DEMO_SENDER,
            receiver=(f"r{i}@x.example",),
            cc=("c@x.example",),
            subject="Hi",
            message="m",
            key=f"k{i}",
        )
        for i in range(3)
    ]
    journal = tmp_path / "v3.db"
    async with connect(sandbox) as easify:
        first = [r async for r in easify.v3.email.send_many(rows, journal=journal)]
        again = [r async for r in easify.v3.email.send_many(rows, journal=journal)]
    assert sorted((r.key, r.outcome) for r in first) == [(f"k{i}", Outcome.SENT) for i in range(3)]
    assert {r.outcome for r in again} == {Outcome.ALREADY_SENT}
    assert {r.email_id for r in again} == {r.email_id for r in first}
    assert len(sandbox.sent_emails) == 6


def call(n: int, **change: Any) -> CallRecord:
    fields: dict[str, Any] = {
        "id": f"838{n:02d}",
        "from_number": "+13152930000",
        "to_number": f"+1315135000{n % 3}",
        "created_at": dt.datetime(2026, 11, 1 + n, 10, 0),
        "public_call": n % 2 == 0,
        "recording_url": f"https://rec.example/{n}.mp3",
        **change,
    }
    return CallRecord(**fields)


async def test_voice_call_history_filters_and_keeps_unknown_fields(connect: Connect) -> None:
    """Dates, to, public_call and order filter the calls; unlisted fields land in extra."""
    sandbox = Sandbox()
    sandbox.extra.add_calls(DEMO_TOKEN, *(call(n) for n in range(6)))
    async with connect(sandbox) as easify:
        every = [c async for c in easify.voice_calls.history()]
        window = [
            c.id
            async for c in easify.voice_calls.history(
                from_date=dt.date(2026, 11, 2), to_date="2026-11-04", order="asc"
            )
        ]
        to_two = [
            c.id
            async for c in easify.voice_calls.history(to=["+13151350001", "3151350002"], limit=2)
        ]
        public = [c.id async for c in easify.voice_calls.history(public_call=True)]
        caller = [c async for c in easify.voice_calls.history(from_number="+13150000000")]
    assert [c.id for c in every] == [f"838{n:02d}" for n in range(5, -1, -1)]
    first = every[-1]
    assert (first.from_number, first.to_number, first.status) == (
        "+13152930000",
        "+13151350000",
        "completed",
    )
    assert first.recording_url == "https://rec.example/0.mp3"
    assert first.created_at == dt.datetime(2026, 11, 1, 10, 0)
    assert first.extra == {"direction": "outbound", "duration": 30, "public_call": True}
    assert window == ["83801", "83802", "83803"]
    assert to_two == ["83805", "83804", "83802", "83801"]
    assert public == ["83804", "83802", "83800"]
    assert caller == []


async def test_sub_users_are_accounts_of_their_own(connect: Connect) -> None:
    """The main user lists sub-users and their tokens; acting as one sees its data only."""
    sandbox = Sandbox()
    ann = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example", name="Ann")
    sandbox.extra.add_sub_user(DEMO_TOKEN, email="bob@x.example", name="Bob")
    sandbox.extra.add_calls(DEMO_TOKEN, call(0))
    sandbox.extra.add_calls(ann.token, call(1, id="ann-1"))
    async with connect(sandbox) as easify:
        subs = [s async for s in easify.sub_users.list()]
        only_ann = [s async for s in easify.sub_users.list("ann@x.example")]
        with_subs = [c.id async for c in easify.voice_calls.history(include_subusers=True)]
        async with easify.with_options(api_token=subs[0].easify_api_token) as as_ann:
            own = [c.id async for c in as_ann.voice_calls.history(include_subusers=True)]
            with pytest.raises(BadRequestError, match="main user") as caught:
                await as_ann.sub_users.list()
        mine = [c.id async for c in easify.voice_calls.history()]
    assert [(s.email, s.name) for s in subs] == [("ann@x.example", "Ann"), ("bob@x.example", "Bob")]
    assert subs[0].easify_api_token == ann.token
    assert ann.token not in repr(subs[0])
    assert [s.email for s in only_ann] == ["ann@x.example"]
    assert with_subs == ["ann-1", "83800"]
    assert (own, mine) == (["ann-1"], ["83800"])
    assert caught.value.maybe_sent is False


@pytest.mark.parametrize(
    ("account", "error"),
    [
        pytest.param(None, AuthenticationError, id="401"),
        pytest.param(Account(token="2|broke", subscribed=False), PaymentRequiredError, id="402"),
        pytest.param(Account(token="3|basic", enterprise=False), PermissionDeniedError, id="403"),
    ],
)
@pytest.mark.parametrize(
    "request_call",
    [
        pytest.param(lambda e: e.email.senders(), id="senders"),
        pytest.param(
            lambda e: e.v3.email.send(DEMO_SENDER, ["a@x.example"], "s", message="m"), id="v3-send"
        ),
        pytest.param(lambda e: e.v3.email.status("674"), id="v3-status"),
        pytest.param(lambda e: e.voice_calls.history(), id="calls"),
        pytest.param(lambda e: e.sub_users.list(), id="sub-users"),
    ],
)
async def test_the_common_errors_of_every_endpoint(
    account: Account | None, error: type[Exception], request_call: Callable[[AsyncEasify], Any]
) -> None:
    """401, 402 and 403 as §1.5 documents them, typed, on each of these endpoints."""
    sandbox = Sandbox()
    token = "9|nobody" if account is None else sandbox.add_account(account).token
    async with easify_on(sandbox, "in-process", token) as easify:
        with pytest.raises(error):
            await request_call(easify)


@pytest.mark.parametrize(
    ("request_call", "limit"),
    [
        pytest.param(lambda e: e.email.senders(), 60, id="senders"),
        pytest.param(
            lambda e: e.v3.email.send(DEMO_SENDER, ["a@x.example"], "s", message="m"),
            15,
            id="v3-send",
        ),
        pytest.param(lambda e: e.voice_calls.history(), 60, id="calls"),
        pytest.param(lambda e: e.sub_users.list(), 60, id="sub-users"),
    ],
)
async def test_each_endpoint_is_throttled_at_its_documented_limit(
    request_call: Callable[[AsyncEasify], Any], limit: int
) -> None:
    """Without client-side limits, the sandbox refuses the request past the limit with a 429."""
    await assert_throttled_at(lambda easify, _: request_call(easify), limit)


async def test_a_bad_page_or_filter_is_the_server_validation_error() -> None:
    """Sent raw, a bad date, a bad flag and 101 numbers are the sandbox's 422s."""
    sandbox = Sandbox()
    async with easify_on(sandbox, "in-process") as easify:
        client = easify._http._client
        date = await client.get("voice-call/history", params={"from_date": "11/01/2026"})
        flag = await client.get("voice-call/history", params={"public_call": "yes"})
        many = await client.get(
            "voice-call/history", params={f"to[{i}]": f"+1315135{i:04d}" for i in range(101)}
        )
        page = await client.get("sub-user/tokens", params={"limit": "x"})
    assert [r.status_code for r in (date, flag, many, page)] == [422] * 4
    assert flag.json()["message"] == "The public call field must be true or false."
    assert date.json()["errors"] == {
        "from_date": ["The from date field must match the format Y-m-d."]
    }
