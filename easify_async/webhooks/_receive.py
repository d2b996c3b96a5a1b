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

__all__ = ["Receipt", "receive_email", "receive_sms", "settle"]

logger = logging.getLogger("easify_async.webhooks")

# How long confirming or releasing claims may take once handling is over; past it the
# claims are left to their lease, the outcome either way if the store is down.
_SETTLE_TIMEOUT = 10.0
_BUSY = "delivery already being handled (claimed, not yet confirmed): deliver again later"


@frozen
class Receipt:
    """How to answer a delivery, and its new events (none for a refusal or a replay).

    Attributes:
        status: 200 (new events, or a replay), 400 (malformed), 401 (bad signature or
            time, or an event older than the guard remembers), 503 (the guard's store is
            down, or another request is handling one of the events: Easify should
            deliver again later).
        keys: the replay-guard keys claimed for ``events``, to confirm or forget.
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
    offered: set[str] = set()
    busy = False
    try:
        for event in events:
            key = event_key(event)
            if key in offered:
                continue  # twice in one batch: handled once, and not busy with itself
            offered.add(key)
            claim = await guard.claim(key)
            if claim == "new":
                fresh.append(event)
                keys.append(key)
            elif claim == "processing":
                busy = True
                break
    except BaseException:
        await _settle(keys, guard, handled=False)  # claimed for a delivery not handled
        raise
    if busy:
        # Answering 200 would end Easify's retries while that other handling may still
        # fail (this may be the retry of a first attempt that timed out): the whole
        # delivery comes again later, when the other handling is over, one way or the other.
        await _settle(keys, guard, handled=False)
        logger.info("webhook delivery answered 503: %s", _BUSY)
        return Receipt(503, _BUSY)
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


async def _settle(keys: list[str] | tuple[str, ...], guard: ReplayGuard, *, handled: bool) -> None:
    settled = 0
    # Shielded: a handling cancelled after it succeeded was still handled, and one
    # cancelled before was not. Bounded: a hung store must not hold the request forever.
    with anyio.CancelScope(shield=True, deadline=anyio.current_time() + _SETTLE_TIMEOUT):
        for key in keys:
            try:
                await (guard.confirm(key) if handled else guard.forget(key))
            except ReplayGuardUnavailableError as exc:
                _settle_failed(key, handled, str(exc))
            settled += 1
    for key in keys[settled:]:  # cut off by the deadline
        _settle_failed(key, handled, f"no answer within {_SETTLE_TIMEOUT:g} s")


def _settle_failed(key: str, handled: bool, reason: str) -> None:
    if handled:
        logger.error(
            "could not confirm %s after it was handled; a redelivery after its lease "
            "runs out would be handled again: %s",
            key,
            reason,
        )
    else:
        logger.error(
            "could not forget %s after its handling failed; Easify's retry of it is "
            "answered 503 until the lease runs out, then handled: %s",
            key,
            reason,
        )


@asynccontextmanager
async def settle(receipt: Receipt, guard: ReplayGuard) -> AsyncIterator[None]:
    """Confirm the receipt's keys once their events are handled, or forget them if the
    handling fails (or is cancelled), so that Easify's retry gets through."""
    try:
        yield
    except BaseException:
        await _settle(receipt.keys, guard, handled=False)
        raise
    await _settle(receipt.keys, guard, handled=True)
