"""Which earlier attempts make a delete's "Invalid ... id" a success: only those the
server may have acted on (a dropped connection, a 5xx), never a 429 or a refused connect."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from easify_async import AsyncEasify, InvalidGroupError

pytestmark = pytest.mark.anyio

GONE = {"status": False, "message": "Invalid group id", "errors": []}
TOO_MANY = {"status": False, "message": "Too many requests. Try again in 0 seconds"}


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("server disconnected without sending a response")


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused")


def replying(status: int, body: object) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body, headers={"Retry-After": "0"})


def transport(*first: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    """``first`` answers in order, then "Invalid group id" for every later attempt."""
    answers = list(first)

    def handle(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)(request) if answers else httpx.Response(400, json=GONE)

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    "first",
    [
        pytest.param((dropped,), id="dropped"),
        pytest.param((replying(502, {}),), id="5xx"),
        pytest.param((dropped, replying(429, TOO_MANY)), id="dropped-then-429"),
    ],
)
async def test_after_an_attempt_that_may_have_acted_the_delete_is_done(
    first: tuple[Callable[[httpx.Request], httpx.Response], ...],
) -> None:
    async with AsyncEasify("t", transport=transport(*first), rate_limits=None) as easify:
        assert await easify.contact_groups.delete(3) is None


@pytest.mark.parametrize(
    "first",
    [
        pytest.param((), id="first-attempt"),
        pytest.param((replying(429, TOO_MANY),), id="after-429"),
        pytest.param((refused,), id="after-refused-connect"),
    ],
)
async def test_otherwise_an_unknown_id_is_the_typed_error(
    first: tuple[Callable[[httpx.Request], httpx.Response], ...],
) -> None:
    async with AsyncEasify("t", transport=transport(*first), rate_limits=None) as easify:
        with pytest.raises(InvalidGroupError):
            await easify.contact_groups.delete(3)
