"""voice_calls.history's flags as the sandbox reads them, in process and over uvicorn."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from easify_async import AsyncEasify
from easify_async.sandbox import DEMO_TOKEN, Sandbox, serve
from easify_async.sandbox._extra_state import CallRecord

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def connect(sandbox: Sandbox, where: str) -> AsyncIterator[AsyncEasify]:
    if where == "uvicorn":
        async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as e:
            yield e
    else:
        async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as e:
            yield e


def call(n: int, *, public: bool) -> CallRecord:
    return CallRecord(
        id=str(n),
        from_number="+13152930000",
        to_number="+13151350000",
        created_at=dt.datetime(2026, 11, 1 + n),
        public_call=public,
    )


@pytest.mark.parametrize("where", ["in-process", "uvicorn"])
async def test_public_call_false_selects_the_other_calls(where: str) -> None:
    """True keeps the public records; False (sent as 0) the others (Laravel's boolean)."""
    sandbox = Sandbox()
    sandbox.extra.add_calls(DEMO_TOKEN, call(1, public=True), call(2, public=False))
    async with connect(sandbox, where) as easify:
        public = [c.id async for c in easify.voice_calls.history(public_call=True)]
        others = [c.id async for c in easify.voice_calls.history(public_call=False)]
        every = [c.id async for c in easify.voice_calls.history()]
    assert (public, others, every) == (["1"], ["2"], ["2", "1"])
