"""A FastAPI receiver sharing a RedisReplayGuard, run by uvicorn as one of several workers.

Configured from the environment: ``EASIFY_TEST_REDIS`` (URL), ``EASIFY_TEST_SECRET``,
and ``EASIFY_TEST_HANDLED``, a file where each handled event appends one line.
"""

from __future__ import annotations

import os

import anyio
from fastapi import FastAPI

from easify_async.webhooks import RedisReplayGuard, SmsEvent
from easify_async.webhooks.fastapi import webhook_router


async def on_sms(event: SmsEvent) -> None:
    """Record the event with this worker's pid: one short O_APPEND write, never interleaved."""
    async with await anyio.open_file(os.environ["EASIFY_TEST_HANDLED"], "a") as handled:
        await handled.write(f"{event.sms_id} {os.getpid()}\n")


app = FastAPI()
app.include_router(
    webhook_router(
        secret=os.environ["EASIFY_TEST_SECRET"],
        on_sms=on_sms,
        replay_guard=RedisReplayGuard(
            os.environ["EASIFY_TEST_REDIS"], prefix=os.environ.get("EASIFY_TEST_PREFIX", "t:")
        ),
    )
)
