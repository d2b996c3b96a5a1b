"""Every documented reply of issue 12's endpoints: the sandbox's exact bytes, the client's
typed result or error (or its ArgumentError before any request), in process and over
uvicorn."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest

from easify_async import APIError, ArgumentError, AsyncEasify, Page, RateLimit, RateLimits
from easify_async.limiters import LocalLimiter
from easify_async.sandbox import DEMO_TOKEN, Sandbox, serve
from tests.sandbox.api2_cases import (
    CASES,
    ENDPOINTS,
    WHEN,
    Call,
    Case,
    Endpoint,
    FakeClock,
    Success,
    prepared,
    seeded_sandbox,
    successes,
)
from tests.sandbox.fidelity_cases import CASES as FIDELITY

pytestmark = pytest.mark.anyio

WHERE = [pytest.param("in-process", id="in-process"), pytest.param("uvicorn", id="uvicorn")]
# What the transport adds (uvicorn's date and server); everything else is asserted.
_TRANSPORT_HEADERS = {"date", "server", "content-length"}


@asynccontextmanager
async def api_root(sandbox: Sandbox, where: str) -> AsyncIterator[tuple[str, Any]]:
    """``http://.../api/`` of the sandbox and the transport to reach it by."""
    if where == "uvicorn":
        async with serve(sandbox) as base_url:
            yield base_url.removesuffix("v2"), None
    else:
        yield "http://sandbox.test/api/", sandbox.transport()


def php_json(body: Any) -> bytes:
    """What PHP's json_encode writes: compact, ASCII only, slashes escaped."""
    return json.dumps(body, separators=(",", ":")).replace("/", "\\/").encode()


def expected_headers(case: Case, sandbox: Sandbox) -> dict[str, str]:
    headers = {"content-type": "application/json", "cache-control": "no-cache, private"}
    if case.status == 401:  # auth comes before the throttle
        return headers
    limit = case.endpoint.limit
    headers.update(
        {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(limit - 1)}
        if case.status != 429
        else {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": "0",
            "retry-after": "59",
            "x-ratelimit-reset": str(sandbox.epoch_seconds(1060.0)),
        }
    )
    return headers


async def raw(sandbox: Sandbox, where: str, token: str, endpoint: Endpoint, fields: Any) -> Any:
    async with (
        api_root(sandbox, where) as (root, transport),
        httpx.AsyncClient(
            base_url=root, transport=transport, headers={"Authorization": f"Bearer {token}"}
        ) as client,
    ):
        return await send(client, endpoint, fields)


async def send(
    client: httpx.AsyncClient, endpoint: Endpoint, fields: Any, files: Any = None
) -> httpx.Response:
    """GET with a query, multipart when there are files, else JSON."""
    if endpoint.method == "GET":
        return await client.get(endpoint.path, params=fields)
    if files is not None:
        return await client.request(endpoint.method, endpoint.path, data=fields, files=files)
    return await client.request(endpoint.method, endpoint.path, json=fields)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
async def test_the_sandbox_answers_each_documented_row_exactly(case: Case, where: str) -> None:
    """Status, body bytes (PHP's json_encode) and headers, for each documented reply."""
    sandbox, token = prepared(case, FakeClock())
    response = await raw(sandbox, where, token, case.endpoint, case.request_fields)
    assert response.status_code == case.status
    assert response.content == php_json(case.body)
    headers = {k: v for k, v in response.headers.items() if k not in _TRANSPORT_HEADERS}
    assert headers == expected_headers(case, sandbox)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.error is not None])
async def test_the_client_raises_each_documented_error_typed(case: Case, where: str) -> None:
    """The client's call gets the row's class, status, message and fields; nothing sent."""
    sandbox, token = prepared(case, FakeClock())
    async with (
        api_root(sandbox, where) as (root, transport),
        AsyncEasify(
            token, base_url=root + "v2", transport=transport, rate_limits=None, max_retries=0
        ) as easify,
    ):
        call = case.client or case.endpoint.call
        with pytest.raises(APIError) as caught:
            await call(easify)
    assert type(caught.value) is case.error
    assert caught.value.status_code == case.status
    assert caught.value.message == case.body["message"].strip()
    assert caught.value.errors == (case.body["errors"] or {})
    assert caught.value.maybe_sent is False
    assert sandbox.sent_emails == []
    assert token not in str(caught.value)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.refused is not None])
async def test_the_client_refuses_what_the_server_would_422_before_any_request(
    case: Case,
) -> None:
    """The client's version of the row is an ArgumentError naming the field; no request."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    assert case.client is not None
    async with AsyncEasify("t", transport=httpx.MockTransport(handle)) as easify:
        with pytest.raises(ArgumentError) as caught:
            await case.client(easify)
    assert caught.value.argument == case.refused
    assert seen == []


def test_every_documented_case_is_either_raised_or_refused() -> None:
    """Each row says what the client does with it; every endpoint has §1.5's five."""
    assert all((c.error is None) != (c.refused is None) for c in CASES)
    for endpoint in ENDPOINTS:
        statuses = {c.status for c in CASES if c.endpoint is endpoint}
        assert {401, 402, 403, 422, 429} <= statuses, endpoint.name


SUCCESSES = [pytest.param(s, id=s.endpoint.name) for s in successes()]
_LINKS = {"first", "last", "prev", "next"}
_META = {"current_page", "from", "last_page", "links", "path", "per_page", "to", "total"}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("success", SUCCESSES)
async def test_the_sandbox_answers_each_documented_success(success: Success, where: str) -> None:
    """The documented message and data fields; Laravel's links and meta on the lists."""
    sandbox, token = seeded_sandbox(), DEMO_TOKEN
    endpoint = success.endpoint
    response = await raw(sandbox, where, token, endpoint, endpoint.fields)
    body = response.json()
    assert response.status_code == 200
    if success.exact is not None:
        assert response.content == php_json(success.exact)
        return
    assert (body["status"], body["message"]) == (True, success.message)
    items = body["data"] if isinstance(body["data"], list) else [body["data"]]
    assert items
    assert all(set(item) >= success.fields for item in items)
    if success.fields != {"id"}:  # a call's fields past "id" are the sandbox's guess
        assert all(set(item) == success.fields for item in items)
    if success.paginated:
        assert (set(body["links"]), set(body["meta"])) == (_LINKS, _META)
    else:
        assert set(body) == {"status", "message", "data"}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("success", SUCCESSES)
async def test_the_client_gives_each_success_its_typed_result(success: Success, where: str) -> None:
    """Each endpoint's call returns its documented model (a page of them for a list)."""
    sandbox, token = seeded_sandbox(), DEMO_TOKEN
    async with (
        api_root(sandbox, where) as (root, transport),
        AsyncEasify(token, base_url=root + "v2", transport=transport) as easify,
    ):
        result = await success.endpoint.call(easify)
    if success.model is None:
        assert result is None
        return
    if isinstance(result, Page):
        assert success.paginated
        result = result.items
    items = result if isinstance(result, list) else [result]
    assert items
    assert all(type(item) is success.model for item in items)


REFUSALS = [pytest.param(c.endpoint, c.client, id=c.id) for c in CASES if c.refused is not None]


@pytest.mark.parametrize(("endpoint", "bad_call"), REFUSALS)
async def test_a_refused_argument_spends_no_rate_limit_slot(
    endpoint: Endpoint, bad_call: Call
) -> None:
    """With one slot an hour, the endpoint's valid call still goes at once after the error."""
    sandbox, token = seeded_sandbox(), DEMO_TOKEN
    seen: list[httpx.Request] = []
    inner = sandbox.transport()

    async def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return await inner.handle_async_request(request)

    limits = RateLimits(overrides={endpoint.bucket: RateLimit(1, 3600.0)})
    async with AsyncEasify(
        token, transport=httpx.MockTransport(handle), limiter=LocalLimiter(), rate_limits=limits
    ) as easify:
        with pytest.raises(ArgumentError):
            await bad_call(easify)
        assert seen == []
        with anyio.fail_after(30):  # a slot taken by the error would make this wait an hour
            await endpoint.call(easify)
    assert len(seen) == 1


def _php_escaped(url: str) -> bytes:
    return url.replace("/", "\\/").encode()


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in FIDELITY])
async def test_the_sandbox_answers_as_the_laravel_backend_would(case: Case, where: str) -> None:
    """Issue 20: status, body bytes and headers, after the case's prior requests."""
    clock = FakeClock()
    sandbox, token = prepared(case, clock)
    sandbox.wall_clock = lambda: WHEN.replace(tzinfo=dt.timezone.utc)  # type: ignore[method-assign]
    async with (
        api_root(sandbox, where) as (root, transport),
        httpx.AsyncClient(
            base_url=root, transport=transport, headers={"Authorization": f"Bearer {token}"}
        ) as client,
    ):
        for prior in case.prior:
            answered = await send(client, prior.endpoint, prior.fields, prior.files)
            assert answered.status_code == 200, answered.text
        clock.now += case.advance
        response = await send(client, case.endpoint, case.request_fields, case.files)
    assert response.status_code == case.status
    base = str(client.base_url).rstrip("/")
    assert response.content.replace(_php_escaped(base), b"ROOT") == php_json(case.body)
    headers = {k: v for k, v in response.headers.items() if k not in _TRANSPORT_HEADERS}
    assert headers == expected_headers(case, sandbox)
