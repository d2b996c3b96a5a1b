"""Every token the SDK knows stays out of messages, bodies, causes and traceback locals."""

from __future__ import annotations

import json
import traceback
from typing import Any

import anyio
import httpx
import pytest
from anyio.abc import SocketStream

from easify_async import APIError, ArgumentError, AsyncEasify
from easify_async._secrets import Secret
from tests._leaks import assert_no_token, rendered
from tests.cli._run import Done, clean_env, easify
from tests.hostile._server import Exchange, raw_server, respond

pytestmark = pytest.mark.anyio

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3081234"
ANN = "1088|0123456789abcdef0123456789abcdef"
BOB = "1089|fedcba9876543210fedcba9876543210"
META = {"current_page": 1, "last_page": 1, "per_page": 100, "total": 2}


def ok(data: object, **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"status": True, "message": "ok", "data": data, **extra})


def serving(*answers: httpx.Response) -> httpx.MockTransport:
    queue = list(answers)
    return httpx.MockTransport(lambda request: queue.pop(0))


def secrets_shown(error: APIError, *tokens: str) -> list[str]:
    """The tokens (or their secret halves) in the message, body or plain traceback."""
    plain = "".join(traceback.format_exception(error))
    quoted = [str(error), error.body, repr(error.errors), plain]
    halves = [token.partition("|")[2] for token in tokens]
    return [half for half in halves if any(half in text for text in quoted)]


def test_a_secret_never_shows_in_repr_or_str() -> None:
    """repr and str of a Secret hide it; reveal gives it."""
    secret = Secret(TOKEN)
    assert TOKEN.partition("|")[2] not in repr(secret) + str(secret) + repr([secret])
    assert secret.reveal() == TOKEN


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("1087|f906c6df\u00a0759e42cd", id="no-break-space"),
        pytest.param("1087|f906c6df\n759e42cd", id="newline"),
        pytest.param("1087|f906c6dé759e42cd", id="accent"),
    ],
)
@pytest.mark.parametrize("way", ["constructor", "environment", "with_options"])
def test_a_token_no_header_can_carry_is_an_argument_error_that_does_not_quote_it(
    token: str, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pasted no-break space: ArgumentError naming api_token, the token shown nowhere."""
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    parent = AsyncEasify(TOKEN, transport=transport)
    monkeypatch.setenv("EASIFY_API_TOKEN", token)
    make = {
        "constructor": lambda: AsyncEasify(token, transport=transport),
        "environment": lambda: AsyncEasify(transport=transport),
        "with_options": lambda: parent.with_options(api_token=token),
    }[way]
    with pytest.raises(ArgumentError) as caught:
        make()
    assert caught.value.argument == "api_token"
    assert "f906c6df" not in str(caught.value)
    assert_no_token(caught.value, token)
    assert_no_token(caught.value, TOKEN)


@pytest.mark.parametrize(
    ("call", "page"),
    [
        pytest.param(lambda e: e.contact_groups.create(name="x"), False, id="call"),
        pytest.param(lambda e: e.contact_groups.list().__aiter__().__anext__(), True, id="page"),
    ],
)
async def test_a_token_reflected_into_a_parsed_field_reaches_no_message_nor_cause(
    call: Any, page: bool
) -> None:
    """An id that is the token: the parse error (which quotes it) is not chained."""
    group = {"id": TOKEN, "name": "x", "contacts_count": 0}
    reply = ok([group], meta=META) if page else ok(group)
    async with AsyncEasify(TOKEN, transport=serving(reply), max_retries=0) as easify:
        with pytest.raises(APIError) as caught:
            await call(easify)
    assert "does not fit ContactGroup" in str(caught.value)
    assert "ValueError: invalid literal for int()" in str(caught.value)  # the type and why
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert not secrets_shown(caught.value, TOKEN)
    assert_no_token(caught.value, TOKEN)


async def test_a_sub_user_page_that_does_not_fit_quotes_none_of_its_tokens() -> None:
    """One item that does not fit SubUser: the page's tokens are scrubbed everywhere."""
    page = ok(
        [
            {"email": "ann@x.example", "name": "Ann", "easify_api_token": ANN},
            {"email": {"not": "text"}, "name": "Bob", "easify_api_token": BOB},
        ],
        meta=META,
    )
    async with AsyncEasify(TOKEN, transport=serving(page), max_retries=0) as easify:
        with pytest.raises(APIError) as caught:
            [sub async for sub in easify.sub_users.list()]
    assert "does not fit SubUser" in str(caught.value)
    assert "[redacted]" in caught.value.body
    assert not secrets_shown(caught.value, ANN, BOB)
    for token in (TOKEN, ANN, BOB):
        assert_no_token(caught.value, token)


async def test_every_token_the_client_knows_is_scrubbed_from_a_later_error() -> None:
    """A listed sub-user's and a with_options child's token, reflected later: redacted."""
    child_token = "1090|00112233445566778899aabbccddeeff"
    reflected = f"<html>{ANN} {child_token} {TOKEN}</html>"
    transport = serving(
        ok([{"email": "ann@x.example", "easify_api_token": ANN}], meta={**META, "total": 1}),
        httpx.Response(502, text=reflected),
        httpx.Response(502, text=reflected),
    )
    async with AsyncEasify(TOKEN, transport=transport, max_retries=0) as easify:
        assert [s.email async for s in easify.sub_users.list()] == ["ann@x.example"]
        child = easify.with_options(api_token=child_token)
        for client in (easify, child):
            with pytest.raises(APIError) as caught:
                await client.sms.status("315")
            assert caught.value.body.count("[redacted]") == 3
            assert not secrets_shown(caught.value, ANN, child_token, TOKEN)


async def test_the_cli_quotes_no_sub_user_token_of_a_page_that_does_not_fit() -> None:
    """`easify subusers list` on such a page: neither stderr nor the --json line shows one."""
    body = json.dumps(
        {
            "status": True,
            "message": "Sub Users",
            "data": [
                {"email": "ann@x.example", "easify_api_token": ANN},
                {"email": None, "easify_api_token": BOB},
            ],
            "meta": META,
        }
    ).encode()

    async def handle(exchange: Exchange, stream: SocketStream) -> bool:
        await respond(stream, 200, body, {"Content-Type": "application/json"})
        return True

    def run(*flags: str) -> Done:
        return easify("subusers", "list", *flags, env=env)

    async with raw_server(handle) as base_url:
        env = clean_env(EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=base_url)
        for flags in ([], ["--json"]):
            done = await anyio.to_thread.run_sync(run, *flags)
            assert done.code != 0
            assert "SubUser" in done.out + done.err
            for token in (TOKEN, ANN, BOB):
                assert token.partition("|")[2] not in done.out + done.err


def test_rendering_follows_causes_contexts_and_groups() -> None:
    """The leak check sees a token hidden in a suppressed context's frame locals."""

    def parse(raw: str) -> None:
        int(raw)

    def misfit() -> None:
        try:
            parse(TOKEN)
        except ValueError:
            raise LookupError("misfit") from None

    with pytest.raises(LookupError) as caught:
        misfit()
    assert TOKEN in rendered(caught.value)
