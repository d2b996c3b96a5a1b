"""Why a webhook delivery was refused; every message is built here, from the facts."""

from __future__ import annotations

import datetime as dt

from ..errors import EasifyError

__all__ = [
    "EventTooOldError",
    "InvalidSignatureError",
    "MalformedPayloadError",
    "ReplayGuardUnavailableError",
    "TimestampOutOfRangeError",
    "WebhookVerificationError",
]


class WebhookVerificationError(EasifyError):
    """A webhook delivery that must not be trusted; answer it with a 4xx."""


class InvalidSignatureError(WebhookVerificationError):
    """``X-Easify-Signature`` is missing or does not match the body and secret.

    Attributes:
        missing: True when the header was absent or empty.
    """

    def __init__(self, *, missing: bool = False) -> None:
        self.missing = missing
        super().__init__(
            "no X-Easify-Signature header"
            if missing
            else "X-Easify-Signature does not match the body with the secret(s) given"
        )


class TimestampOutOfRangeError(WebhookVerificationError):
    """``X-Easify-Timestamp`` is missing, not a UNIX time, or outside the tolerance.

    The header is not signed: it only shows that the delivery is recent, not that this
    body was sent recently (see `EventTooOldError`).

    Attributes:
        timestamp: the header's value, ``None`` when it was absent.
        skew: seconds the timestamp is behind ``now`` (negative: ahead), ``None`` when
            the header was absent or unreadable.
        tolerance: the seconds accepted either way.
    """

    def __init__(self, *, timestamp: str | None, skew: float | None, tolerance: float) -> None:
        self.timestamp = timestamp
        self.skew = skew
        self.tolerance = tolerance
        if timestamp is None:
            message = "no X-Easify-Timestamp header"
        elif skew is None:
            message = f"X-Easify-Timestamp {timestamp!r:.40} is not a UNIX time in ASCII digits"
        else:
            when = "old" if skew > 0 else "in the future"
            message = f"X-Easify-Timestamp is {abs(skew):.0f} s {when} (tolerance {tolerance:g} s)"
        super().__init__(message)


class MalformedPayloadError(WebhookVerificationError):
    """The body is too large, or signed but not the JSON shape of an Easify event.

    Attributes:
        reason: what is wrong with it.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed webhook body: {reason}")


class EventTooOldError(WebhookVerificationError):
    """An event's signed time may be older than the replay guard remembers.

    A captured delivery can be replayed with a fresh (unsigned) ``X-Easify-Timestamp``;
    the time inside the signed body cannot be changed, so an event that may have
    happened before the guard's memory begins is refused rather than risk handling it
    twice.

    Attributes:
        happened_at: the event's signed time (an SMS event's naive ``created_at`` as
            given, an email event's aware ``timestamp``).
        not_before: the earliest UNIX time accepted.
    """

    def __init__(self, *, happened_at: dt.datetime, not_before: float) -> None:
        self.happened_at = happened_at
        self.not_before = not_before
        limit = dt.datetime.fromtimestamp(not_before, dt.timezone.utc)
        super().__init__(
            f"event of {happened_at:%Y-%m-%d %H:%M:%S}{' UTC' if happened_at.tzinfo else ''}"
            f" may be older than the replay guard's memory (from {limit:%Y-%m-%d %H:%M:%S} UTC)"
        )


class ReplayGuardUnavailableError(EasifyError):
    """The replay guard's store (Redis) cannot be reached: the delivery is not handled.

    The receivers answer 503, so that Easify delivers again later, rather than risk
    handling a replay (or a redelivery another worker is handling) twice.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"the replay guard is unavailable: {detail}")
