"""What a webhook endpoint does with a delivery, whatever the framework around it."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ._errors import MalformedPayloadError, WebhookVerificationError
from ._events import EmailEvent, SmsEvent
from ._replay import ReplayGuard, event_key
from ._verify import Secret, verify_email_events, verify_sms_event

__all__ = ["Receipt", "receive_email", "receive_sms"]


@frozen
class Receipt:
    """How to answer a delivery, and the new events in it (none for a refusal or a replay).

    ``status``: 200 (new events or a replay), 400 (malformed), 401 (bad signature/time).
    """

    status: int
    detail: str
    events: tuple[SmsEvent | EmailEvent, ...] = ()


def _refused(error: WebhookVerificationError) -> Receipt:
    return Receipt(400 if isinstance(error, MalformedPayloadError) else 401, str(error))


def receive_sms(
    body: bytes, headers: Mapping[str, str], *, secret: Secret, tolerance: float, guard: ReplayGuard
) -> Receipt:
    """Verify an SMS delivery and drop it if it was seen within the tolerance."""
    try:
        event = verify_sms_event(body, headers, secret=secret, tolerance=tolerance)
    except WebhookVerificationError as error:
        return _refused(error)
    if not guard.first_time(event_key(event), ttl=2 * tolerance):
        return Receipt(200, "duplicate delivery ignored")
    return Receipt(200, "ok", (event,))


def receive_email(
    body: bytes, headers: Mapping[str, str], *, secret: Secret, tolerance: float, guard: ReplayGuard
) -> Receipt:
    """Verify an email batch; keep the events not seen within the tolerance."""
    try:
        events = verify_email_events(body, headers, secret=secret, tolerance=tolerance)
    except WebhookVerificationError as error:
        return _refused(error)
    fresh = tuple(e for e in events if guard.first_time(event_key(e), ttl=2 * tolerance))
    return Receipt(200, "ok" if fresh else "duplicate delivery ignored", fresh)
