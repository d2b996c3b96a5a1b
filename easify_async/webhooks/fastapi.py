"""FastAPI integration (extra ``fastapi``): dependencies that verify, dedupe and parse.

Examples:
    >>> from typing import Annotated
    >>> from fastapi import Depends, FastAPI
    >>> from easify_async.webhooks import SmsEvent
    >>> from easify_async.webhooks.fastapi import SmsWebhook
    >>> app = FastAPI()
    >>> sms_webhook = SmsWebhook(secret="s3cret")
    >>> @app.post("/easify/sms")
    ... async def on_sms(event: Annotated[SmsEvent, Depends(sms_webhook)]) -> dict[str, str]:
    ...     return {"status": event.status.value}

A bad signature or timestamp (or an event older than the replay guard remembers)
answers 401, a malformed or oversized body 400 naming what is wrong, a replay 200
without calling the endpoint, and an unreachable guard store (Redis) or a delivery
another request is still handling 503. The replay guard remembers a delivery once the
endpoint returned; if it raises, the guard's claim is released, so Easify's retry is
handled rather than dropped.
"""

# No `from __future__ import annotations`: FastAPI reads the router's endpoint
# annotations at runtime, and they name dependencies local to `webhook_router`.

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any

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

with needs_extra("fastapi", "easify_async.webhooks.fastapi"):
    from fastapi import APIRouter, HTTPException, Request
    from fastapi.responses import JSONResponse, Response

__all__ = ["EmailWebhook", "SmsWebhook", "webhook_router"]


async def _bounded_body(request: Request, max_bytes: int) -> bytes:
    # Stops one chunk past the cap, so a huge body is never held in memory; verification
    # then refuses it by its length, unhashed.
    chunks: list[bytes] = []
    size = 0
    async with aclosing(request.stream()) as stream:
        async for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
    return b"".join(chunks)


def _events_or_answer(receipt: Receipt) -> None:
    if receipt.status != 200 or not receipt.events:
        # Raised for a replay too: it ends the request with 200 before the endpoint runs.
        raise HTTPException(status_code=receipt.status, detail=receipt.detail)


def _answer(receipt: Receipt) -> Response:
    # The body HTTPException gives a refusal, without the exception: a ready router's
    # answer costs no exception handling nor response model.
    return JSONResponse({"detail": receipt.detail}, status_code=receipt.status)


class _Webhook:
    _receive: Callable[..., Awaitable[Receipt]]

    def __init__(
        self,
        *,
        secret: Secret,
        tolerance: float,
        replay_guard: ReplayGuard | None,
        max_bytes: int,
    ) -> None:
        # An empty secret or a NaN tolerance fails here, at startup.
        self._keys = SigningKeys.of(secret)  # the secret itself is not kept: see SigningKeys
        check_tolerance(tolerance)
        self._tolerance = tolerance
        self._guard = replay_guard or MemoryReplayGuard()
        self._max_bytes = max_bytes

    async def _receipt(self, request: Request) -> Receipt:
        return await self._receive(
            await _bounded_body(request, self._max_bytes),
            request.headers,
            keys=self._keys,
            tolerance=self._tolerance,
            guard=self._guard,
            max_bytes=self._max_bytes,
        )

    async def _route(
        self, request: Request, handle: Callable[[list[Any]], Awaitable[object]]
    ) -> Response:
        # A ready router's endpoint: the dependency's work without FastAPI's machinery
        # for a dependency with yield (its exit stack, a shielded exit, a response model).
        receipt = await self._receipt(request)
        if receipt.status == 200 and receipt.events:
            async with Settle(receipt, self._guard):
                await handle(list(receipt.events))
        return _answer(receipt)


class SmsWebhook(_Webhook):
    """A dependency giving the endpoint the verified `SmsEvent` of the request.

    The body is read here (and not left for the endpoint to read again).

    Args:
        secret: the Signature Verification Secret (or several, during a rotation).
        tolerance: seconds of clock difference accepted (15 minutes, as documented).
        replay_guard: where seen deliveries are remembered; in memory by default.
        max_bytes: a longer body answers 400 without being read further.
    """

    def __init__(
        self,
        *,
        secret: Secret,
        tolerance: float = SMS_TOLERANCE,
        replay_guard: ReplayGuard | None = None,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        super().__init__(
            secret=secret, tolerance=tolerance, replay_guard=replay_guard, max_bytes=max_bytes
        )

    _receive = staticmethod(receive_sms)

    async def __call__(self, request: Request) -> AsyncIterator[SmsEvent]:
        """Verify and dedupe the request; yield its event to the endpoint."""
        receipt = await self._receipt(request)
        _events_or_answer(receipt)
        [event] = receipt.events
        assert isinstance(event, SmsEvent)  # receive_sms makes nothing else
        async with Settle(receipt, self._guard):
            yield event


class EmailWebhook(_Webhook):
    """A dependency giving the endpoint the new `EmailEvent` s of the request's batch.

    Same arguments as `SmsWebhook`; the tolerance defaults to the documented 5 minutes.
    The endpoint is not called when every event of the batch was seen already.
    """

    def __init__(
        self,
        *,
        secret: Secret,
        tolerance: float = EMAIL_TOLERANCE,
        replay_guard: ReplayGuard | None = None,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        super().__init__(
            secret=secret, tolerance=tolerance, replay_guard=replay_guard, max_bytes=max_bytes
        )

    _receive = staticmethod(receive_email)

    async def __call__(self, request: Request) -> AsyncIterator[list[EmailEvent]]:
        """Verify and dedupe the request; yield its new events to the endpoint."""
        receipt = await self._receipt(request)
        _events_or_answer(receipt)
        async with Settle(receipt, self._guard):
            yield [e for e in receipt.events if isinstance(e, EmailEvent)]


def webhook_router(
    *,
    secret: Secret,
    on_sms: Callable[[SmsEvent], Awaitable[object]] | None = None,
    on_email: Callable[[list[EmailEvent]], Awaitable[object]] | None = None,
    sms_path: str = "/easify/sms",
    email_path: str = "/easify/email",
    replay_guard: ReplayGuard | None = None,
) -> APIRouter:
    """A ready router: POST routes that verify, dedupe, and hand events to your callbacks.

    Args:
        secret: the Signature Verification Secret (or several, during a rotation).
        on_sms: awaited with each new `SmsEvent`; no SMS route without it.
        on_email: awaited with each batch's new `EmailEvent` s; no email route without it.
        sms_path: where the SMS route listens.
        email_path: where the email route listens.
        replay_guard: shared by both routes; in memory by default.

    Examples:
        >>> router = webhook_router(secret="s3cret", on_sms=store_status)  # doctest: +SKIP
        >>> app.include_router(router)  # doctest: +SKIP
    """
    router = APIRouter()
    guard = replay_guard or MemoryReplayGuard()
    if on_sms is not None:
        sms_callback = on_sms
        sms_webhook = SmsWebhook(secret=secret, replay_guard=guard)

        async def handle_sms(events: list[Any]) -> None:
            [event] = events
            await sms_callback(event)

        @router.post(sms_path, response_model=None)
        async def sms(request: Request) -> Response:
            return await sms_webhook._route(request, handle_sms)

    if on_email is not None:
        email_webhook = EmailWebhook(secret=secret, replay_guard=guard)

        @router.post(email_path, response_model=None)
        async def email(request: Request) -> Response:
            return await email_webhook._route(request, on_email)

    return router
