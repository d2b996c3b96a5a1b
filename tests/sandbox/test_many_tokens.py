"""Many tokens on one client (an agency's sub-users through with_options) over uvicorn:
the shared connection pool never jams, and no token's window is exceeded."""

from __future__ import annotations

import anyio
import pytest

from easify_async import AsyncEasify, RateLimits
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._served import served

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

TOKENS, SENDS = 100, 30
PERIOD = 1.0  # the sandbox's minute: 15 sends a second per token


async def test_a_hundred_tokens_sending_thirty_each_all_get_through_without_a_429() -> None:
    """3,000 sends from 100 with_options children at once: 1,500 are let through by the
    limiter together, more than the pool's 100 connections; every one is sent, none is
    refused by the server, none fails (before the gate, the pool jammed for good)."""
    sandbox = Sandbox(period=PERIOD)
    tokens = [
        sandbox.extra.add_sub_user(DEMO_TOKEN, email=f"sub{n}@x.example").token
        for n in range(TOKENS)
    ]
    failures: list[Exception] = []

    async def send(client: AsyncEasify) -> None:
        try:
            await client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        except Exception as exc:  # counted, so that one failure does not hide the others
            failures.append(exc)

    limits = RateLimits().scaled(PERIOD / 60)
    async with (
        served(sandbox) as base_url,
        AsyncEasify(DEMO_TOKEN, base_url=base_url, rate_limits=limits) as easify,
    ):
        # Not a speed limit: a jammed pool never finishes, and must fail rather than hang.
        with anyio.fail_after(120):
            async with anyio.create_task_group() as group:
                for token in tokens:
                    child = easify.with_options(api_token=token)
                    for _ in range(SENDS):
                        group.start_soon(send, child)
    assert failures == []
    assert sandbox.rejected_requests == 0
    assert len(sandbox.sent_sms) == TOKENS * SENDS
