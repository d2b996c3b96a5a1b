"""aiohttp integration (extra ``aiohttp``): handler factories that verify, dedupe and parse.

Examples:
    >>> from aiohttp import web
    >>> from easify_async.webhooks.aiohttp import sms_handler
    >>> async def on_sms(event):
    ...     print(event.sms_id, event.status)
    >>> app = web.Application()
    >>> _ = app.router.add_post("/easify/sms", sms_handler(on_sms, secret="s3cret"))

A bad signature or timestamp (or an event older than the replay guard remembers)
answers 401, a malformed body 400 naming what is wrong, a replay 200 without calling
your callback, and an unreachable guard store (Redis) or a delivery another request is
still handling 503. The replay guard remembers a delivery once your callback returned;
if it raises, the guard's claim is released, so Easify's retry is handled rather than
dropped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .._extras import needs_extra
from ._events import EmailEvent, SmsEvent
from ._receive import Receipt, Settle, receive_email, receive_sms
from ._replay import MemoryReplayGuard, ReplayGuard
from ._verify import (
    EMAIL_TOLERANCE,
    MAX_BODY_BYTES,
    SMS_TOLERANCE,
    Secret,
    SigningKeys,
    check_tolerance,
)

with needs_extra("aiohttp", "easify_async.webhooks.aiohttp"):
    from aiohttp import web

__all__ = ["email_handler", "sms_handler"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _answer(receipt: Receipt) -> web.Response:
    return web.json_response({"detail": receipt.detail}, status=receipt.status)


def sms_handler(
    callback: Callable[[SmsEvent], Awaitable[object]],
    *,
    secret: Secret,
    tolerance: float = SMS_TOLERANCE,
    replay_guard: ReplayGuard | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Handler:
    """A handler for SMS status webhooks calling ``callback`` with each new event.

    Args:
        callback: awaited with the verified `SmsEvent`; not called for a replay.
        secret: the Signature Verification Secret (or several, during a rotation).
        tolerance: seconds of clock difference accepted (15 minutes, as documented).
        replay_guard: where seen deliveries are remembered; in memory by default.
        max_bytes: a longer body answers 400 unhashed (aiohttp's own ``client_max_size``,
            1 MiB by default, answers 413 first).
    """
    # An empty secret or a NaN tolerance fails here, at startup. The handler keeps the
    # keys, not the secret: see SigningKeys.
    keys = SigningKeys.of(secret)
    check_tolerance(tolerance)
    guard = replay_guard or MemoryReplayGuard()

    async def handle(request: web.Request) -> web.Response:
        receipt = await receive_sms(
            await request.read(),
            request.headers,
            keys=keys,
            tolerance=tolerance,
            guard=guard,
            max_bytes=max_bytes,
        )
        async with Settle(receipt, guard):
            for event in receipt.events:
                assert isinstance(event, SmsEvent)  # receive_sms makes nothing else
                await callback(event)
        return _answer(receipt)

    return handle


def email_handler(
    callback: Callable[[list[EmailEvent]], Awaitable[object]],
    *,
    secret: Secret,
    tolerance: float = EMAIL_TOLERANCE,
    replay_guard: ReplayGuard | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Handler:
    """A handler for email webhooks calling ``callback`` with each batch's new events.

    Same arguments as `sms_handler`; the tolerance defaults to the documented 5 minutes.
    The callback is not called when every event of the batch was seen already.
    """
    keys = SigningKeys.of(secret)
    check_tolerance(tolerance)
    guard = replay_guard or MemoryReplayGuard()

    async def handle(request: web.Request) -> web.Response:
        receipt = await receive_email(
            await request.read(),
            request.headers,
            keys=keys,
            tolerance=tolerance,
            guard=guard,
            max_bytes=max_bytes,
        )
        if receipt.events:
            async with Settle(receipt, guard):
                await callback([e for e in receipt.events if isinstance(e, EmailEvent)])
        return _answer(receipt)

    return handle
