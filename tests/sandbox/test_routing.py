"""Laravel's router in the sandbox: JSON 404/405, trailing slashes, HEAD and OPTIONS."""

from __future__ import annotations

import pytest

from easify_async import RateLimit, SmsTemplate
from easify_async._requests import NoQuery
from easify_async._routes import Route
from easify_async.sandbox import Sandbox, _api_sms
from easify_async.sandbox._routing import Endpoint, Match, resolve
from tests.sandbox.cases import SMS
from tests.sandbox.conftest import app_headers, json_headers, raw_client

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("token", [pytest.param("1000|sandbox-demo-token", id="token"), None])
async def test_an_unknown_route_is_laravels_json_404_before_auth(
    where: str, token: str | None
) -> None:
    """JSON "The route api/v2/x could not be found.", slashes escaped, before auth and throttle."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where, token=token) as client:
        response = await client.get("x/", params={"a": "1"})
        root = await client.post("")
    assert response.status_code == 404
    assert response.content == b'{"message":"The route api\\/v2\\/x could not be found."}'
    assert app_headers(response) == json_headers()
    assert root.content == b'{"message":"The route api\\/v2 could not be found."}'


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        pytest.param("GET", "sms/send", "POST", id="get-send"),
        pytest.param("PUT", "email/send", "POST", id="put-email"),
        pytest.param("POST", "sms/status", "GET, HEAD", id="post-status"),
    ],
)
async def test_a_wrong_method_is_laravels_json_405_with_allow(
    where: str, method: str, path: str, allowed: str
) -> None:
    """The 405 names the method, the route and the supported methods; Allow lists them."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        response = await client.request(method, path + "/")
        after = await client.post("sms/send", json=SMS)
    assert response.status_code == 405
    escaped = path.replace("/", "\\/")
    assert (
        response.content
        == (
            f'{{"message":"The {method} method is not supported for route api\\/v2\\/{escaped}. '
            f'Supported methods: {allowed}."}}'
        ).encode()
    )
    assert app_headers(response) == json_headers(allow=allowed)
    assert after.headers["X-RateLimit-Remaining"] == "14"  # the 405 was not counted


async def test_a_trailing_slash_reaches_the_route(where: str) -> None:
    """Laravel strips it: sms/send/ sends (no 307 redirect), and counts against sms/send."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        slashed = await client.post("sms/send/", json=SMS)
        plain = await client.post("sms/send", json=SMS)
    assert slashed.status_code == 200
    assert plain.headers["X-RateLimit-Remaining"] == "13"
    assert len(sandbox.sent_sms) == 2


async def test_head_and_options_as_laravel_answers_them(where: str) -> None:
    """HEAD on a GET route runs it without a body; OPTIONS is an empty 200 with Allow."""
    sandbox = Sandbox()
    async with raw_client(sandbox, where) as client:
        sent = (await client.post("sms/send", json=SMS)).json()["data"]["sms_id"]
        head = await client.head("sms/status", params={"sms_id": sent})
        options = await client.options("sms/status")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["X-RateLimit-Remaining"] == "59"
    assert options.status_code == 200
    assert options.content == b""
    assert app_headers(options) == {
        "allow": "GET,HEAD",
        "cache-control": "no-cache, private",
        "content-type": "text/html; charset=UTF-8",
    }


async def test_an_injected_server_error_is_laravels_production_500(where: str) -> None:
    """{"message": "Server Error"}, before auth and the throttle, nothing recorded."""
    sandbox = Sandbox()
    sandbox.faults.queue("server_error")
    async with raw_client(sandbox, where) as client:
        response = await client.post("sms/send", json=SMS)
    assert response.status_code == 500
    assert response.content == b'{"message":"Server Error"}'
    assert app_headers(response) == json_headers()
    assert sandbox.sent_sms == []


def test_a_path_parameter_matches_one_segment_decoded() -> None:
    """``{template_id}`` takes one non-empty segment; ``%2F`` stays inside it, decoded."""
    template = Route(
        "GET",
        "sms/templates/{template_id}",
        "t",
        RateLimit(60, 60.0),
        True,
        request=NoQuery,
        result=SmsTemplate,
    )
    endpoints = [Endpoint(template, _api_sms.templates)]
    found = resolve(endpoints, "GET", "/api/v2/sms/templates/a%2Fb%20%7Bc%7D%20d")
    assert isinstance(found, Match)
    assert found.params == {"template_id": "a/b {c} d"}
    assert found.endpoint.path == "api/v2/sms/templates/{template_id}"
    for other in ["api/v2/sms/templates/a/b", "api/v2/sms/templates//", "api/v2/sms/x/1"]:
        assert not isinstance(resolve(endpoints, "GET", other), Match), other
    assert not isinstance(resolve(endpoints, "POST", "api/v2/sms/templates/1"), Match)
