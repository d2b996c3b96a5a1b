"""What a webhook endpoint does with a delivery, whatever the framework around it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio
from attrs import frozen

from ._errors import MalformedPayloadError, ReplayGuardUnavailableError, WebhookVerificationError
from ._events import EmailEvent, SmsEvent
from ._replay import ReplayGuard, event_key
from ._verify import Body, Secret, verify_email_events, verify_sms_event

__all__ = ["Receipt", "forget_on_failure", "receive_email", "receive_sms"]

logger = logging.getLogger("easify_async.webhooks")


@frozen
class Receipt:
    """How to answer a delivery, and its new events (none for a refusal or a replay).

    Attributes:
        status: 200 (new events, or a replay), 400 (malformed), 401 (bad signature or
            time, or an event older than the guard remembers), 503 (the guard's store is
            down: Easify should deliver again later).
        keys: the replay-guard keys claimed for ``events``.
    """

    status: int
    detail: str
    events: tuple[SmsEvent | EmailEvent, ...] = ()
    keys: tuple[str, ...] = ()


def _refused(error: WebhookVerificationError | ReplayGuardUnavailableError) -> Receipt:
    if isinstance(error, ReplayGuardUnavailableError):
        logger.error("webhook delivery answered 503: %s", error)
        return Receipt(503, str(error))
    return Receipt(400 if isinstance(error, MalformedPayloadError) else 401, str(error))


async def _claim(events: list[SmsEvent] | list[EmailEvent], guard: ReplayGuard) -> Receipt:
    fresh: list[SmsEvent | EmailEvent] = []
    keys: list[str] = []
    try:
        for event in events:
            key = event_key(event)
            if await guard.first_time(key):
                fresh.append(event)
                keys.append(key)
    except BaseException:
        await _forget(keys, guard)  # claimed for a delivery that will not be handled
        raise
    detail = "ok" if fresh else "duplicate delivery ignored"
    return Receipt(200, detail, tuple(fresh), tuple(keys))


# An event's first delivery reached us no earlier than its signed time, give or take the
# clock difference the timestamp check allows: so an event from after `remembers_since`
# plus the tolerance was, if delivered before, delivered while the guard remembers.
async def _not_before(guard: ReplayGuard, tolerance: float) -> float:
    return await guard.remembers_since() + tolerance


async def receive_sms(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an SMS delivery; keep its event unless the guard has seen it."""
    try:
        event = verify_sms_event(
            body,
            headers,
            secret=secret,
            tolerance=tolerance,
            max_bytes=max_bytes,
            not_before=await _not_before(guard, tolerance),
        )
        return await _claim([event], guard)
    except (WebhookVerificationError, ReplayGuardUnavailableError) as error:
        return _refused(error)


async def receive_email(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an email batch; keep the events the guard has not seen."""
    try:
        events = verify_email_events(
            body,
            headers,
            secret=secret,
            tolerance=tolerance,
            max_bytes=max_bytes,
            not_before=await _not_before(guard, tolerance),
        )
        return await _claim(events, guard)
    except (WebhookVerificationError, ReplayGuardUnavailableError) as error:
        return _refused(error)


async def _forget(keys: list[str] | tuple[str, ...], guard: ReplayGuard) -> None:
    with anyio.CancelScope(shield=True):  # cancelled too: the delivery was not handled
        for key in keys:
            try:
                await guard.forget(key)
            except ReplayGuardUnavailableError as exc:
                logger.error(
                    "could not forget %s after its handling failed; Easify's retry of it "
                    "will be dropped as a replay until the key expires: %s",
                    key,
                    exc,
                )


@asynccontextmanager
async def forget_on_failure(receipt: Receipt, guard: ReplayGuard) -> AsyncIterator[None]:
    """Release the receipt's keys if handling its events fails, so a retry gets through."""
    try:
        yield
    except BaseException:
        await _forget(receipt.keys, guard)
        raise
