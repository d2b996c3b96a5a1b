"""What a webhook endpoint does with a delivery, whatever the framework around it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio
from attrs import frozen

from ._errors import MalformedPayloadError, WebhookVerificationError
from ._events import EmailEvent, SmsEvent
from ._replay import ReplayGuard, event_key
from ._verify import Body, Secret, verify_email_events, verify_sms_event

__all__ = ["Receipt", "forget_on_failure", "receive_email", "receive_sms"]


@frozen
class Receipt:
    """How to answer a delivery, and its new events (none for a refusal or a replay).

    Attributes:
        status: 200 (new events, or a replay), 400 (malformed), 401 (bad signature or time).
        keys: the replay-guard keys claimed for ``events``.
    """

    status: int
    detail: str
    events: tuple[SmsEvent | EmailEvent, ...] = ()
    keys: tuple[str, ...] = ()


def _refused(error: WebhookVerificationError) -> Receipt:
    return Receipt(400 if isinstance(error, MalformedPayloadError) else 401, str(error))


async def _claim(
    events: list[SmsEvent] | list[EmailEvent], guard: ReplayGuard, ttl: float
) -> Receipt:
    fresh: list[SmsEvent | EmailEvent] = []
    keys: list[str] = []
    for event in events:
        key = event_key(event)
        if await guard.first_time(key, ttl=ttl):
            fresh.append(event)
            keys.append(key)
    detail = "ok" if fresh else "duplicate delivery ignored"
    return Receipt(200, detail, tuple(fresh), tuple(keys))


# A replay is refused by the timestamp check once the timestamp is `tolerance` old, and
# it may have been stamped up to `tolerance` ahead: keys must outlive both.
def _ttl(tolerance: float) -> float:
    return 2 * tolerance


async def receive_sms(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an SMS delivery; keep its event unless it was seen within the tolerance."""
    try:
        event = verify_sms_event(
            body, headers, secret=secret, tolerance=tolerance, max_bytes=max_bytes
        )
    except WebhookVerificationError as error:
        return _refused(error)
    return await _claim([event], guard, _ttl(tolerance))


async def receive_email(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    guard: ReplayGuard,
    max_bytes: int,
) -> Receipt:
    """Verify an email batch; keep the events not seen within the tolerance."""
    try:
        events = verify_email_events(
            body, headers, secret=secret, tolerance=tolerance, max_bytes=max_bytes
        )
    except WebhookVerificationError as error:
        return _refused(error)
    return await _claim(events, guard, _ttl(tolerance))


@asynccontextmanager
async def forget_on_failure(receipt: Receipt, guard: ReplayGuard) -> AsyncIterator[None]:
    """Release the receipt's keys if handling its events fails, so a retry gets through."""
    try:
        yield
    except BaseException:
        with anyio.CancelScope(shield=True):  # cancelled too: the delivery was not handled
            for key in receipt.keys:
                await guard.forget(key)
        raise
