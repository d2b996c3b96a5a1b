"""Contact groups: the client against the sandbox, in process and over uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from easify_async import (
    ArgumentError,
    AsyncEasify,
    DefaultGroupError,
    InvalidGroupError,
    ValidationError,
)
from easify_async.sandbox import Sandbox
from tests._recording import recording_client
from tests.sandbox.conftest import Connect, assert_throttled_at

pytestmark = pytest.mark.anyio


async def test_groups_are_created_listed_renamed_and_deleted(connect: Connect) -> None:
    """create, list (both orders), update and delete a group; the default group stays."""
    async with connect(Sandbox()) as easify:
        vip = await easify.contact_groups.create(name="VIP")
        await easify.contact_groups.create(name="Staff")
        newest = [g.name async for g in easify.contact_groups.list()]
        oldest = [g.name async for g in easify.contact_groups.list(order="asc")]
        first = await easify.contact_groups.list(limit=2)
        renamed = await easify.contact_groups.update(vip.id, name="VIPs")
        await easify.contact_groups.delete(vip.id)
        left = [g async for g in easify.contact_groups.list(order="asc")]
    assert (vip.name, vip.contacts_count, vip.default_group) == ("VIP", 0, False)
    assert vip.created_at is not None
    assert newest == ["Staff", "VIP", "Default"]
    assert oldest == newest[::-1]
    assert (first.total, first.last_page, len(first.items)) == (3, 2, 2)
    assert (renamed.id, renamed.name) == (vip.id, "VIPs")
    assert [g.name for g in left] == ["Default", "Staff"]
    assert left[0].default_group


async def test_each_documented_group_error_is_typed(connect: Connect) -> None:
    """A taken name is a 422; an unknown id and the default group are their own 400s."""
    async with connect(Sandbox()) as easify:
        default = (await easify.contact_groups.list()).items[0]
        staff = await easify.contact_groups.create(name="Staff")
        await easify.contact_groups.create(name="VIP")
        with pytest.raises(ValidationError) as taken:
            await easify.contact_groups.create(name="VIP")
        with pytest.raises(ValidationError):
            await easify.contact_groups.update(staff.id, name="VIP")
        with pytest.raises(InvalidGroupError) as unknown:
            await easify.contact_groups.delete(9999)
        with pytest.raises(InvalidGroupError):
            await easify.contact_groups.update(9999, name="X")
        with pytest.raises(DefaultGroupError) as refused:
            await easify.contact_groups.delete(default.id)
    assert taken.value.errors == {"name": ["The name has already been taken."]}
    assert not unknown.value.maybe_sent
    assert "default contact group" in str(refused.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda e: e.contact_groups.create(name=" "),
        lambda e: e.contact_groups.update(0, name="X"),
        lambda e: e.contact_groups.update(1, name=""),
        lambda e: e.contact_groups.delete("x"),
        lambda e: e.contact_groups.list(order="up"),
    ],
)
async def test_bad_arguments_fail_before_any_request(call: Callable[[AsyncEasify], Any]) -> None:
    """An empty name, a bad id or order is an ArgumentError and nothing is sent."""
    sent: list[httpx.Request] = []
    async with recording_client(sent) as easify:
        with pytest.raises(ArgumentError):
            await _outcome(call(easify))
    assert sent == []


async def _outcome(result: Any) -> Any:
    """Await a coroutine; a paginator's first page is awaited the same way."""
    return await result


@pytest.mark.parametrize(
    ("call", "limit"),
    [
        (lambda e, n: e.contact_groups.create(name=f"g{n}"), 15),
        (lambda e, n: e.contact_groups.list(limit=5), 60),
        (lambda e, n: e.contact_groups.update(1, name=f"d{n}"), 60),
    ],
)
async def test_group_endpoints_are_throttled_at_their_limits(
    call: Callable[[AsyncEasify, int], Any], limit: int
) -> None:
    """Without client-side limits, the sandbox answers 429 past 15/min creates, 60/min others."""
    await assert_throttled_at(call, limit)
