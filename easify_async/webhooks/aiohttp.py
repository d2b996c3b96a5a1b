"""aiohttp integration (extra ``aiohttp``): handler factories that verify, dedupe and parse.

Example:
    >>> from aiohttp import web
    >>> from easify_async.webhooks.aiohttp import sms_handler
    >>> async def on_sms(event):
    ...     print(event.sms_id, event.status)
    >>> app = web.Application()
    >>> _ = app.router.add_post("/easify/sms", sms_handler(on_sms, secret="s3cret"))

A bad signature or timestamp answers 401, a malformed body 400, and a replay 200
without calling your callback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ._events import EmailEvent, SmsEvent
from ._receive import Receipt, receive_email, receive_sms
from ._replay import MemoryReplayGuard, ReplayGuard
from ._verify import Secret

__all__ = ["email_handler", "sms_handler"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _answer(receipt: Receipt) -> web.Response:
    return web.json_response({"detail": receipt.detail}, status=receipt.status)


def sms_handler(
    callback: Callable[[SmsEvent], Awaitable[object]],
    *,
    secret: Secret,
    tolerance: float = 900,
    replay_guard: ReplayGuard | None = None,
) -> Handler:
    """A handler for SMS status webhooks calling ``callback`` with each new event."""
    guard = replay_guard or MemoryReplayGuard()

    async def handle(request: web.Request) -> web.Response:
        receipt = receive_sms(
            await request.read(), request.headers, secret=secret, tolerance=tolerance, guard=guard
        )
        for event in receipt.events:
            assert isinstance(event, SmsEvent)
            await callback(event)
        return _answer(receipt)

    return handle


def email_handler(
    callback: Callable[[list[EmailEvent]], Awaitable[object]],
    *,
    secret: Secret,
    tolerance: float = 300,
    replay_guard: ReplayGuard | None = None,
) -> Handler:
    """A handler for email webhooks calling ``callback`` with each batch's new events."""
    guard = replay_guard or MemoryReplayGuard()

    async def handle(request: web.Request) -> web.Response:
        receipt = receive_email(
            await request.read(), request.headers, secret=secret, tolerance=tolerance, guard=guard
        )
        if receipt.events:
            await callback([e for e in receipt.events if isinstance(e, EmailEvent)])
        return _answer(receipt)

    return handle
