"""Why a webhook delivery was refused; every message is built here, from the facts."""

from __future__ import annotations

from ..errors import EasifyError

__all__ = [
    "InvalidSignatureError",
    "MalformedPayloadError",
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
            message = f"X-Easify-Timestamp {timestamp!r:.40} is not a UNIX time"
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
