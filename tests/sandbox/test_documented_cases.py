"""Every documented case of the three docs pages, through the sandbox and through the client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from easify_async import APIError, AsyncEasify
from easify_async.sandbox import Sandbox
from tests._served import served
from tests.sandbox.cases import CASES, Case
from tests.sandbox.conftest import FakeClock, app_headers, json_headers, php_json, raw_client

pytestmark = pytest.mark.anyio

PATHS = {
    "sms": ("POST", "sms/send"),
    "email": ("POST", "email/send"),
    "status": ("GET", "sms/status"),
}
# What the client refuses itself, before any request: ArgumentError, tested in tests/core.
CLIENT_VALIDATES = {
    "sms-422-from",
    "sms-400-recipient",
    "sms-422-country",
    "sms-400-no-country",
    "status-422",
}


@asynccontextmanager
async def in_process(
    sandbox: Sandbox,
) -> AsyncIterator[tuple[str, httpx.AsyncBaseTransport | None]]:
    yield "http://sandbox.test/api/v2", sandbox.transport()


@asynccontextmanager
async def over_uvicorn(
    sandbox: Sandbox,
) -> AsyncIterator[tuple[str, httpx.AsyncBaseTransport | None]]:
    async with served(sandbox) as base_url:
        yield base_url, None


Where = Callable[
    [Sandbox], AbstractAsyncContextManager[tuple[str, httpx.AsyncBaseTransport | None]]
]
WHERE = [pytest.param(in_process, id="in-process"), pytest.param(over_uvicorn, id="uvicorn")]


def prepared(case: Case) -> Sandbox:
    sandbox = Sandbox(clock=FakeClock())
    case.setup(sandbox)
    return sandbox


def expected_headers(case: Case, sandbox: Sandbox) -> dict[str, str]:
    if case.status == 401:  # auth comes before the throttle
        return json_headers()
    limit = "60" if case.endpoint == "status" else "15"
    if case.status == 429:
        return json_headers(
            x_ratelimit_limit=limit,
            x_ratelimit_remaining="0",
            retry_after="59",
            x_ratelimit_reset=str(sandbox.epoch_seconds(1060.0)),
        )
    return json_headers(x_ratelimit_limit=limit, x_ratelimit_remaining=str(int(limit) - 1))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
async def test_the_sandbox_answers_exactly_as_documented(case: Case, where: str) -> None:
    """Status, body bytes (PHP's json_encode) and headers, exactly, for each documented row."""
    sandbox = prepared(case)
    method, path = PATHS[case.endpoint]
    async with raw_client(sandbox, where, token=case.token) as client:
        if method == "GET":
            response = await client.get(path, params=case.fields)
        else:
            response = await client.post(path, json=case.fields)
    assert response.status_code == case.status
    assert response.content == php_json(case.body)
    assert app_headers(response) == expected_headers(case, sandbox)


def client_call(easify: AsyncEasify, case: Case) -> Any:
    fields = case.fields
    if case.endpoint == "sms":
        return easify.sms.send(
            fields["from_number"],
            fields["to_number"],
            country_code=fields["country_code"],
            message=fields["message"],
        )
    if case.endpoint == "email":
        return easify.email.send(
            fields["sender"], fields["receiver"], fields["subject"], message=fields["message"]
        )
    return easify.sms.status(fields["sms_id"])


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id) for c in CASES if c.id not in CLIENT_VALIDATES]
)
async def test_the_client_raises_the_documented_error(case: Case, where: Where) -> None:
    """AsyncEasify turns each documented reply into its typed error, message and fields kept."""
    sandbox = prepared(case)
    async with (
        where(sandbox) as (base_url, transport),
        AsyncEasify(
            case.token, base_url=base_url, transport=transport, rate_limits=None, max_retries=0
        ) as easify,
    ):
        with pytest.raises(APIError) as caught:
            await client_call(easify, case)
    assert type(caught.value) is case.error
    assert caught.value.status_code == case.status
    assert caught.value.message == case.body["message"].strip()
    assert caught.value.errors == (case.body["errors"] or {})


async def test_a_valid_send_and_status_round_trip() -> None:
    """The success bodies: the leading space of the SMS message, a numeric-string sms_id."""
    sandbox = Sandbox()
    async with raw_client(sandbox, "in-process") as client:
        sent = (await client.post("sms/send", json=CASES[0].fields)).json()
        status = (await client.get("sms/status", params={"sms_id": sent["data"]["sms_id"]})).json()
        email = (
            await client.post(
                "email/send",
                json={
                    "sender": "demo@sandbox.easify.test",
                    "receiver": "a@b.co",
                    "subject": "s",
                    "message": "m",
                },
            )
        ).json()
    assert sent["message"] == " SMS Processed successfully."
    assert sent["data"]["sms_id"].isdigit()
    assert status == {
        "status": True,
        "message": "SMS status successfully fetched",
        "data": {"status": "Delivered", "remarks": ""},
    }
    assert email["message"] == "Email processed successfully"
    assert len(email["data"]["email_id"]) == 24
    int(email["data"]["email_id"], 16)
