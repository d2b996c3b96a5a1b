"""FastAPI integration (extra ``fastapi``): dependencies that verify, dedupe and parse.

Example:
    >>> from typing import Annotated
    >>> from fastapi import Depends, FastAPI
    >>> from easify_async.webhooks import SmsEvent
    >>> from easify_async.webhooks.fastapi import SmsWebhook
    >>> app = FastAPI()
    >>> sms_webhook = SmsWebhook(secret="s3cret")
    >>> @app.post("/easify/sms")
    ... async def on_sms(event: Annotated[SmsEvent, Depends(sms_webhook)]) -> dict[str, str]:
    ...     return {"status": event.status.value}

A bad signature or timestamp answers 401, a malformed body 400, and a replay 200
without calling the endpoint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, HTTPException, Request

from ._events import EmailEvent, SmsEvent
from ._receive import Receipt, receive_email, receive_sms
from ._replay import MemoryReplayGuard, ReplayGuard
from ._verify import Secret

__all__ = ["EmailWebhook", "SmsWebhook", "webhook_router"]


def _events_or_answer(receipt: Receipt) -> None:
    if receipt.status != 200 or not receipt.events:
        # Raised for a replay too: it ends the request with 200 before the endpoint runs.
        raise HTTPException(status_code=receipt.status, detail=receipt.detail)


class SmsWebhook:
    """A dependency giving the endpoint the verified `SmsEvent` of the request.

    Args:
        secret: the Signature Verification Secret (or several, during a rotation).
        tolerance: seconds of clock difference accepted (15 minutes, as documented).
        replay_guard: where seen deliveries are remembered; in memory by default.
    """

    def __init__(
        self, *, secret: Secret, tolerance: float = 900, replay_guard: ReplayGuard | None = None
    ) -> None:
        self._secret = secret
        self._tolerance = tolerance
        self._guard = replay_guard or MemoryReplayGuard()

    async def __call__(self, request: Request) -> SmsEvent:
        body = await request.body()
        receipt = receive_sms(
            body, request.headers, secret=self._secret, tolerance=self._tolerance, guard=self._guard
        )
        _events_or_answer(receipt)
        event = receipt.events[0]
        assert isinstance(event, SmsEvent)
        return event


class EmailWebhook:
    """A dependency giving the endpoint the new `EmailEvent` s of the request's batch.

    Same arguments as `SmsWebhook`; the tolerance defaults to the documented 5 minutes.
    """

    def __init__(
        self, *, secret: Secret, tolerance: float = 300, replay_guard: ReplayGuard | None = None
    ) -> None:
        self._secret = secret
        self._tolerance = tolerance
        self._guard = replay_guard or MemoryReplayGuard()

    async def __call__(self, request: Request) -> list[EmailEvent]:
        body = await request.body()
        receipt = receive_email(
            body, request.headers, secret=self._secret, tolerance=self._tolerance, guard=self._guard
        )
        _events_or_answer(receipt)
        return [e for e in receipt.events if isinstance(e, EmailEvent)]


def webhook_router(
    *,
    secret: Secret,
    on_sms: Callable[[SmsEvent], Awaitable[object]] | None = None,
    on_email: Callable[[list[EmailEvent]], Awaitable[object]] | None = None,
    sms_path: str = "/easify/sms",
    email_path: str = "/easify/email",
) -> APIRouter:
    """A ready router: POST routes that verify, dedupe, and hand events to your callbacks.

    Example:
        >>> router = webhook_router(secret="s3cret", on_sms=store_status)  # doctest: +SKIP
        >>> app.include_router(router)  # doctest: +SKIP
    """
    router = APIRouter()
    if on_sms is not None:
        sms_webhook, sms_callback = SmsWebhook(secret=secret), on_sms

        @router.post(sms_path)
        async def sms(request: Request) -> dict[str, str]:
            await sms_callback(await sms_webhook(request))
            return {"detail": "ok"}

    if on_email is not None:
        email_webhook, email_callback = EmailWebhook(secret=secret), on_email

        @router.post(email_path)
        async def email(request: Request) -> dict[str, str]:
            await email_callback(await email_webhook(request))
            return {"detail": "ok"}

    return router
