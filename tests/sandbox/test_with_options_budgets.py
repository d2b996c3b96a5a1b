"""with_options on both backends, in process and over uvicorn: one limiter with a budget per
token, and closing in either order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx
import pytest

from easify_async import AsyncEasify, RateLimit, RateLimits
from easify_async.sandbox import DEMO_TOKEN, Sandbox, serve
from tests.fakes import Counting

pytestmark = pytest.mark.anyio

# One group create per token per hour: a second one waits for the hour.
ONE_AN_HOUR = RateLimits(overrides={"contact_groups_create": RateLimit(1, 3600.0)})


@asynccontextmanager
async def client(sandbox: Sandbox, where: str) -> AsyncIterator[tuple[AsyncEasify, Counting]]:
    """The main user's client, counting what reaches the network, with ONE_AN_HOUR."""
    if where == "uvicorn":
        async with serve(sandbox) as base_url:
            counting = Counting(httpx.AsyncHTTPTransport())
            async with AsyncEasify(
                DEMO_TOKEN, base_url=base_url, transport=counting, rate_limits=ONE_AN_HOUR
            ) as easify:
                yield easify, counting
    else:
        counting = Counting(sandbox.transport())
        async with (
            sandbox,
            AsyncEasify(DEMO_TOKEN, transport=counting, rate_limits=ONE_AN_HOUR) as easify,
        ):
            yield easify, counting


@pytest.mark.parametrize("where", ["in-process", "uvicorn"])
async def test_a_sub_user_has_its_own_budget_and_a_same_token_child_shares_the_parents(
    where: str,
) -> None:
    """After the main user's one create, the sub-user's goes at once; a same-token child's
    waits in the shared limiter and never reaches the network."""
    sandbox = Sandbox()
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    async with client(sandbox, where) as (easify, counting):
        await easify.contact_groups.create(name="Main")
        # Were the budget shared, this would wait an hour: fail instead of hanging.
        with anyio.fail_after(30):
            async with easify.with_options(api_token=sub.token) as as_sub:
                await as_sub.contact_groups.create(name="Sub")
        same_token = easify.with_options(timeout=5.0)
        async with anyio.create_task_group() as group:
            group.start_soon(lambda: same_token.contact_groups.create(name="Waits"))
            await anyio.wait_all_tasks_blocked()
            assert len(counting.requests) == 2
            group.cancel_scope.cancel()
    assert [r.headers["authorization"] for r in counting.requests] == [
        f"Bearer {DEMO_TOKEN}",
        f"Bearer {sub.token}",
    ]
    assert sandbox.rejected_requests == 0


@pytest.mark.parametrize("where", ["in-process", "uvicorn"])
async def test_closing_the_parent_first_stops_the_child_and_closing_it_after_is_harmless(
    where: str,
) -> None:
    """Parent closed: the child refuses clearly and sends nothing; its own close is a no-op."""
    sandbox = Sandbox()
    async with client(sandbox, where) as (easify, counting):
        child = easify.with_options(max_retries=0)
        await child.contact_groups.list()
    with pytest.raises(RuntimeError, match="has been closed"):
        await child.contact_groups.list()
    await child.aclose()
    assert len(counting.requests) == 1
