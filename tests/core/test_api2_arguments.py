"""Senders, v3 email, voice calls and sub-users check their arguments before any request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify, InvalidEmailError, MissingContentError

MANY = [f"u{i}@x.example" for i in range(51)]


def v3_send(**change: Any) -> Callable[[AsyncEasify], Any]:
    arguments: dict[str, Any] = {
        "sender": "qa@example.com",
        "receiver": ["a@x.example"],
        "subject": "Hi",
        "message": "m",
        **change,
    }
    return lambda e: e.v3.email.send(**arguments)


CALLS: list[Any] = [
    pytest.param(lambda e: e.email.senders(limit=0), "limit", id="senders-limit"),
    pytest.param(v3_send(receiver=[]), "receiver", id="v3-no-receiver"),
    pytest.param(v3_send(receiver="a@x.example"), "receiver", id="v3-receiver-string"),
    pytest.param(v3_send(receiver=MANY), "receiver", id="v3-51-receivers"),
    pytest.param(v3_send(cc=MANY), "cc", id="v3-51-cc"),
    pytest.param(v3_send(bcc=MANY), "bcc", id="v3-51-bcc"),
    pytest.param(v3_send(receiver=["a@x.example", "nope"]), "receiver[1]", id="v3-bad-receiver"),
    pytest.param(v3_send(cc=["c@x.example", "c@"]), "cc[1]", id="v3-bad-cc"),
    pytest.param(v3_send(bcc=["no at"]), "bcc[0]", id="v3-bad-bcc"),
    pytest.param(v3_send(sender="qa"), "sender", id="v3-bad-sender"),
    pytest.param(v3_send(subject=" "), "subject", id="v3-subject"),
    pytest.param(v3_send(message=None), "message", id="v3-no-content"),
    pytest.param(v3_send(attachment=b""), "attachment", id="v3-empty-attachment"),
    pytest.param(v3_send(additional_data={"x": object()}), "additional_data", id="v3-data"),
    pytest.param(lambda e: e.v3.email.status(""), "email_id", id="v3-status-empty"),
    pytest.param(lambda e: e.v3.email.status(674, receiver="x"), "receiver", id="v3-status-rcv"),
    pytest.param(
        lambda e: e.voice_calls.history(from_date="2026/11/01"), "from_date", id="calls-date"
    ),
    pytest.param(
        lambda e: e.voice_calls.history(to_date=dt.datetime(2026, 1, 1)), "to_date", id="calls-dt"
    ),
    pytest.param(
        lambda e: e.voice_calls.history(from_date="2026-12-01", to_date="2026-11-01"),
        "from_date",
        id="calls-reversed",
    ),
    pytest.param(lambda e: e.voice_calls.history(to=[]), "to", id="calls-to-empty"),
    pytest.param(lambda e: e.voice_calls.history(to="+13151350000"), "to", id="calls-to-string"),
    pytest.param(
        lambda e: e.voice_calls.history(to=[f"+1315135{i:04d}" for i in range(101)]),
        "to",
        id="calls-to-101",
    ),
    pytest.param(lambda e: e.voice_calls.history(to=["12"]), "to[0]", id="calls-to-bad"),
    pytest.param(lambda e: e.voice_calls.history(from_number="x"), "from_number", id="calls-from"),
    pytest.param(lambda e: e.voice_calls.history(order="up"), "order", id="calls-order"),
    pytest.param(lambda e: e.voice_calls.history(public_call=1), "public_call", id="calls-flag"),
    pytest.param(lambda e: e.voice_calls.history(limit=-1), "limit", id="calls-limit"),
    pytest.param(lambda e: e.sub_users.list("not-an-email"), "email", id="subusers-email"),
    pytest.param(lambda e: e.sub_users.list(limit=0), "limit", id="subusers-limit"),
]


@pytest.mark.parametrize(("call", "argument"), CALLS)
@pytest.mark.anyio
async def test_calls_refuse_bad_arguments_before_any_request(
    easify: AsyncEasify,
    sent: list[httpx.Request],
    call: Callable[[AsyncEasify], Any],
    argument: str,
) -> None:
    """An ArgumentError naming the argument, and no request."""
    with pytest.raises(ArgumentError) as caught:
        await call(easify)
    assert caught.value.argument == argument
    assert sent == []


@pytest.mark.anyio
async def test_the_typed_argument_errors_of_a_v3_send(easify: AsyncEasify) -> None:
    """A malformed address is an InvalidEmailError; no content is a MissingContentError."""
    with pytest.raises(InvalidEmailError):
        await v3_send(cc=["c@"])(easify)
    with pytest.raises(MissingContentError):
        await v3_send(message="  ")(easify)


def test_v3_needs_a_base_url_ending_in_v2() -> None:
    """Behind a proxy path without /v2, easify.v3 says the v3 URL cannot be derived."""
    easify = AsyncEasify("t", base_url="https://proxy.example/easify")
    with pytest.raises(ArgumentError, match="/v2") as caught:
        easify.v3  # noqa: B018 - the property access is what is tested
    assert caught.value.argument == "base_url"


@pytest.mark.anyio
async def test_v3_calls_go_to_the_v3_root_and_the_rest_to_v2(sent: list[httpx.Request]) -> None:
    """One client: v3.email.* hit .../api/v3/, senders and calls .../api/v2/."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("email/send"):
            return httpx.Response(
                200, json={"status": True, "message": "", "data": {"email_id": "674"}}
            )
        return httpx.Response(200, json={"status": True, "message": "", "data": []})

    transport = httpx.MockTransport(handle)
    async with AsyncEasify("t", base_url="http://x/api/v2", transport=transport) as easify:
        await easify.v3.email.send("qa@example.com", ["a@x.example"], "Hi", message="m")
        await easify.v3.email.status(674)
        await easify.email.senders()
        await easify.voice_calls.history(
            from_number="3152930000", to=["+13151350000", "3151350001"]
        )
    assert [r.url.path for r in sent] == [
        "/api/v3/email/send",
        "/api/v3/email/status",
        "/api/v2/email/senders",
        "/api/v2/voice-call/history",
    ]
    assert sent[0].headers["authorization"] == "Bearer t"
    assert dict(sent[3].url.params) == {
        "from": "+13152930000",
        "to[0]": "+13151350000",
        "to[1]": "+13151350001",
        "order": "desc",
        "limit": "100",
        "page": "1",
    }
