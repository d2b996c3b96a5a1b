"""Why a webhook delivery was refused."""

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
    """``X-Easify-Signature`` is missing or does not match the body and secret."""


class TimestampOutOfRangeError(WebhookVerificationError):
    """``X-Easify-Timestamp`` is missing, not a number, or outside the tolerance."""


class MalformedPayloadError(WebhookVerificationError):
    """The signed body is not the JSON shape of an Easify event (or is too large)."""
