"""Pagination: pages followed by meta, unpaginated lists, empty and stuck servers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from easify_async import APIError, ArgumentError, AsyncEasify, Page, SmsTemplate

Handler = Callable[[httpx.Request], httpx.Response]


def template(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "group_name": "g",
        "name": f"t{i}",
        "message": "Hi",
        "sms_type": "sms",
        "media_url": "",
        "created_at": "07-12-2024 11:03:12 AM",
    }


def laravel_page(items: list[dict[str, Any]], page: int, per_page: int) -> dict[str, Any]:
    """The resource-collection shape, links included (the client must not read them)."""
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    return {
        "status": True,
        "message": "SMS Templates",
        "data": chunk,
        "links": {"first": "hhttps://broken?page=1", "last": None, "prev": None, "next": None},
        "meta": {
            "current_page": page,
            "from": None,
            "last_page": last,
            "links": [],
            "path": "x",
            "per_page": per_page,
            "to": None,
            "total": len(items),
        },
    }


class Server:
    """A MockTransport serving a fixed list, recording the queries it got."""

    def __init__(self, answer: Callable[[int, int], dict[str, Any]]) -> None:
        self.answer = answer
        self.queries: list[dict[str, str]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.queries.append(query)
        page = int(query.get("page", 1))
        return httpx.Response(200, json=self.answer(page, int(query.get("limit", 10))))


def client(server: Server) -> AsyncEasify:
    return AsyncEasify(
        "t", base_url="http://test/api/v2", transport=httpx.MockTransport(server.handle)
    )


@pytest.mark.anyio
async def test_iteration_walks_every_page_at_the_large_page_size() -> None:
    """async for fetches pages of 100 until meta.last_page, each item once, in order."""
    items = [template(i) for i in range(1, 251)]
    server = Server(lambda page, size: laravel_page(items, page, size))
    async with client(server) as easify:
        got = [t.id async for t in easify.sms.templates()]
    assert got == list(range(1, 251))
    assert [q["page"] for q in server.queries] == ["1", "2", "3"]
    assert {q["limit"] for q in server.queries} == {"100"}


@pytest.mark.anyio
async def test_await_gives_the_first_page_and_next_page_follows() -> None:
    """await gives Page 1 with its meta; next_page() walks on; the last page has none."""
    items = [template(i) for i in range(1, 6)]
    server = Server(lambda page, size: laravel_page(items, page, size))
    async with client(server) as easify:
        page: Page[SmsTemplate] = await easify.sms.templates(limit=2)
        assert (page.current_page, page.last_page, page.per_page, page.total) == (1, 3, 2, 5)
        assert page.items[0].created_at == dt.datetime(2024, 7, 12, 11, 3, 12)
        pages = [page]
        while page.has_next_page():
            page = await page.next_page()
            pages.append(page)
        with pytest.raises(ValueError, match="last page"):
            await page.next_page()
    assert [[t.id for t in p.items] for p in pages] == [[1, 2], [3, 4], [5]]


@pytest.mark.anyio
async def test_an_empty_list_is_one_call_and_no_items() -> None:
    """An empty list ends the walk after its one page."""
    server = Server(lambda page, size: laravel_page([], page, size))
    async with client(server) as easify:
        assert [t async for t in easify.sms.templates()] == []
    assert len(server.queries) == 1


@pytest.mark.anyio
async def test_an_empty_page_ends_the_walk_even_if_meta_promises_more() -> None:
    """A page with no items stops the walk: nothing is fetched after it."""

    def answer(page: int, size: int) -> dict[str, Any]:
        body = laravel_page([template(1)] * 30, page, size)
        if page == 2:
            body["data"] = []
        return body

    server = Server(answer)
    async with client(server) as easify:
        got = [t async for t in easify.sms.templates(limit=10)]
    assert len(got) == 10
    assert len(server.queries) == 2


@pytest.mark.anyio
async def test_the_unpaginated_phone_numbers_list_is_one_page() -> None:
    """GET phone-numbers without limit: the whole list, `"links": []`, no meta."""
    numbers = [{"id": i, "number": f"+1315293000{i}", "gateway": "Twilio"} for i in range(3)]
    server = Server(
        lambda page, size: {
            "status": True,
            "message": "Phone Numbers",
            "data": numbers,
            "links": [],
        }
    )
    async with client(server) as easify:
        got = await easify.phone_numbers.list()
    assert [n.id for n in got] == [0, 1, 2]
    assert server.queries == [{}]


@pytest.mark.anyio
async def test_a_server_that_does_not_advance_is_an_api_error() -> None:
    """A server answering page 1 again when asked for page 2 raises, never loops."""
    items = [template(i) for i in range(1, 30)]
    server = Server(lambda page, size: laravel_page(items, 1, size))
    async with client(server) as easify:
        with pytest.raises(APIError, match="asked for page 2, the server answered page 1"):
            _ = [t async for t in easify.sms.templates(limit=10)]
    assert len(server.queries) == 2


@pytest.mark.anyio
async def test_an_unpaginated_answer_to_a_later_page_is_an_api_error() -> None:
    """Page 2 answered without meta would repeat the list: it is an error instead."""

    def answer(page: int, size: int) -> dict[str, Any]:
        if page == 1:
            return laravel_page([template(i) for i in range(20)], 1, size)
        return {"status": True, "message": "", "data": [template(1)], "links": []}

    async with client(Server(answer)) as easify:
        with pytest.raises(APIError, match="unpaginated"):
            _ = [t async for t in easify.sms.templates(limit=10)]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"status": True, "message": "", "data": {"id": 1}}, id="data-not-a-list"),
        pytest.param(
            {"status": True, "message": "", "data": [], "meta": {"current_page": None}},
            id="bad-meta",
        ),
        pytest.param({"status": True, "message": "", "data": [{"name": "no id"}]}, id="bad-item"),
        pytest.param({"status": True, "message": "", "data": ["x"]}, id="item-not-object"),
    ],
)
@pytest.mark.anyio
async def test_a_list_reply_that_cannot_be_walked_is_an_api_error(body: dict[str, Any]) -> None:
    """Malformed data, meta or items become an APIError with the raw body kept."""
    async with client(Server(lambda page, size: body)) as easify:
        with pytest.raises(APIError) as caught:
            await easify.sms.templates()
    assert json.loads(caught.value.body) == body


@pytest.mark.parametrize("limit", [0, -1, 2.5, True, "10"])
@pytest.mark.anyio
async def test_a_bad_limit_is_refused_before_any_request(limit: Any) -> None:
    """limit must be a positive int; the error comes at the call, nothing is sent."""
    server = Server(lambda page, size: laravel_page([], page, size))
    async with client(server) as easify:
        with pytest.raises(ArgumentError, match="limit"):
            easify.sms.templates(limit=limit)
    assert server.queries == []


@pytest.mark.anyio
async def test_a_break_leaves_the_rest_unfetched() -> None:
    """Pages are fetched lazily: stopping after the first item costs one call."""
    items = [template(i) for i in range(1, 500)]
    server = Server(lambda page, size: laravel_page(items, page, size))
    async with client(server) as easify:
        async for _ in easify.sms.templates():
            break
    assert len(server.queries) == 1
