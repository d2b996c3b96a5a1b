"""Verifying a webhook delivery: size, timestamp, signature, then parsing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from .._php_json import php_json_encode
from .._serde import structure
from ._errors import InvalidSignatureError, MalformedPayloadError, TimestampOutOfRangeError
from ._events import EmailEvent, SmsEvent

__all__ = ["MAX_BODY_BYTES", "Secret", "verify_email_events", "verify_payload", "verify_sms_event"]

#: Bodies larger than this are refused before any hashing (an email batch is a few KB).
MAX_BODY_BYTES = 1 << 20

Secret = str | bytes | Iterable[str | bytes]
T = TypeVar("T")


def verify_sms_event(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float = 900,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> SmsEvent:
    """Check an SMS status webhook and return its event.

    Args:
        body: the request body exactly as received.
        headers: the request headers (any case); ``X-Easify-Signature`` and
            ``X-Easify-Timestamp`` are read.
        secret: the Signature Verification Secret, or several (during a rotation).
        tolerance: seconds the timestamp may differ from ``now`` either way (the SMS
            page says 15 minutes).
        now: UNIX time to check against; the current time by default.

    Raises:
        InvalidSignatureError, TimestampOutOfRangeError, MalformedPayloadError.

    Example:
        >>> body = await request.body()  # doctest: +SKIP
        >>> event = verify_sms_event(body, request.headers, secret=SECRET)  # doctest: +SKIP
    """
    payload = verify_payload(
        body, headers, secret=secret, tolerance=tolerance, now=now, max_bytes=max_bytes
    )
    if not isinstance(payload, dict):
        raise MalformedPayloadError("an SMS event is a JSON object")
    return _structure(payload, SmsEvent)


def verify_email_events(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float = 300,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[EmailEvent]:
    """Check an email webhook and return its batch of events (the email page says ±5 min).

    Same arguments and errors as `verify_sms_event`.
    """
    payload = verify_payload(
        body, headers, secret=secret, tolerance=tolerance, now=now, max_bytes=max_bytes
    )
    if not isinstance(payload, list):
        raise MalformedPayloadError("an email webhook body is a JSON array of events")
    return [_structure(item, EmailEvent) for item in payload]


def verify_payload(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Any:
    """Check size, timestamp and signature; return the decoded JSON payload.

    The signature is accepted over the raw body, and over PHP's ``json_encode`` of the
    decoded payload (what Easify's PHP signs if it re-encodes), in both the documented
    form (base64 of the hex digest) and base64 of the raw digest.
    """
    raw = body.encode() if isinstance(body, str) else bytes(body)
    if len(raw) > max_bytes:
        raise MalformedPayloadError(f"the body is over {max_bytes} bytes")
    lowered = {k.lower(): v for k, v in headers.items()}
    _check_timestamp(
        lowered.get("x-easify-timestamp"), tolerance, time.time() if now is None else now
    )
    received = lowered.get("x-easify-signature", "").strip().encode()
    if not received:
        raise InvalidSignatureError("no X-Easify-Signature header")
    keys = _keys(secret)
    if _matches(raw, received, keys):
        return _decode(raw)
    payload = _decode(raw, signature_checked=False)
    if _matches(php_json_encode(payload), received, keys):
        return payload
    raise InvalidSignatureError("the signature does not match the body and secret")


def _check_timestamp(value: str | None, tolerance: float, now: float) -> None:
    if value is None:
        raise TimestampOutOfRangeError("no X-Easify-Timestamp header")
    try:
        sent_at = float(value)
    except ValueError:
        raise TimestampOutOfRangeError(f"X-Easify-Timestamp {value!r} is not a UNIX time") from None
    if abs(now - sent_at) > tolerance:
        raise TimestampOutOfRangeError(
            f"X-Easify-Timestamp is {now - sent_at:+.0f} s from now (tolerance {tolerance:g} s)"
        )


def _keys(secret: Secret) -> list[bytes]:
    secrets = [secret] if isinstance(secret, (str, bytes)) else list(secret)
    if not secrets:
        raise ValueError("no webhook secret given")
    return [s.encode() if isinstance(s, str) else s for s in secrets]


def _matches(data: bytes, received: bytes, keys: list[bytes]) -> bool:
    found = False
    for key in keys:
        mac = hmac.new(key, data, hashlib.sha256)
        # Every candidate is compared, in constant time, so timing tells nothing.
        found |= hmac.compare_digest(base64.b64encode(mac.hexdigest().encode()), received)
        found |= hmac.compare_digest(base64.b64encode(mac.digest()), received)
    return found


def _decode(raw: bytes, *, signature_checked: bool = True) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        if signature_checked:
            raise MalformedPayloadError("the body is not JSON") from None
        # Unsigned garbage: a bad signature is the more useful answer.
        raise InvalidSignatureError("the signature does not match the body and secret") from None


def _structure(data: Any, cls: type[T]) -> T:
    try:
        result: T = structure(data, cls)
        return result
    except Exception as exc:
        raise MalformedPayloadError(f"not an Easify {cls.__name__}: {exc}") from exc
