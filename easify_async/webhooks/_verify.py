"""Verifying a webhook delivery: size, timestamp, signature, then parsing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from .._php_json import php_json_encode
from .._serde import structure
from ._errors import InvalidSignatureError, MalformedPayloadError, TimestampOutOfRangeError
from ._events import EmailEvent, SmsEvent

__all__ = [
    "MAX_BODY_BYTES",
    "Secret",
    "secret_keys",
    "verify_email_events",
    "verify_payload",
    "verify_sms_event",
]

#: Bodies larger than this are refused before any hashing (an email batch is a few KB).
MAX_BODY_BYTES = 1 << 20

Secret = str | bytes | Iterable[str | bytes]
Body = bytes | bytearray | memoryview | str
T = TypeVar("T")

_SIGNATURE = "X-Easify-Signature"
_TIMESTAMP = "X-Easify-Timestamp"
# Base64 of the 32 raw digest bytes; the documented form (base64 of the hex text) is 88.
_RAW_DIGEST_LENGTH = 44


def verify_sms_event(
    body: Body,
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
        headers: the request headers, any mapping (a dict, or Starlette's, aiohttp's or
            httpx's headers); ``X-Easify-Signature`` and ``X-Easify-Timestamp`` are read,
            in any letter case.
        secret: the Signature Verification Secret, or several (during a rotation).
        tolerance: seconds the timestamp may differ from ``now`` either way (the SMS
            page says 15 minutes).
        now: UNIX time to check against; the current time by default.
        max_bytes: a longer body is refused before it is hashed.

    Raises:
        InvalidSignatureError: the signature is missing or wrong.
        TimestampOutOfRangeError: the timestamp is missing, unreadable or too far off.
        MalformedPayloadError: the body is too long, or signed but not an SMS event.
        ValueError: no secret, or an empty one, was given.

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
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float = 300,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[EmailEvent]:
    """Check an email webhook and return its batch of events (the email page says ±5 min).

    Same arguments and errors as `verify_sms_event`.

    Example:
        >>> events = verify_email_events(body, request.headers, secret=SECRET)  # doctest: +SKIP
        >>> [e.event for e in events]  # doctest: +SKIP
        [<EmailEventKind.PROCESSED: 'processed'>, <EmailEventKind.DELIVERED: 'delivered'>]
    """
    payload = verify_payload(
        body, headers, secret=secret, tolerance=tolerance, now=now, max_bytes=max_bytes
    )
    if not isinstance(payload, list):
        raise MalformedPayloadError("an email webhook body is a JSON array of events")
    return [_structure(item, EmailEvent) for item in payload]


def verify_payload(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Any:
    """Check size, timestamp and signature; return the decoded JSON payload.

    The signature is accepted over the raw body, and over PHP's ``json_encode`` of the
    decoded payload (what Easify's PHP signs if it re-encodes), as base64 of the hex
    digest (documented) or of the raw digest (spec §4.1's safety net).
    """
    keys = secret_keys(secret)
    raw = body.encode() if isinstance(body, str) else bytes(body)
    if len(raw) > max_bytes:
        raise MalformedPayloadError(f"the body is over {max_bytes} bytes")
    _check_timestamp(_header(headers, _TIMESTAMP), tolerance, now)
    received = (_header(headers, _SIGNATURE) or "").strip().encode()
    if not received:
        raise InvalidSignatureError(missing=True)
    if _matches(raw, received, keys):
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise MalformedPayloadError("the body is not JSON") from None
    # Not signed as received: maybe signed as PHP re-encodes the same payload. A body
    # that cannot be decoded or re-encoded (NaN, deep nesting) was not signed at all.
    try:
        payload = json.loads(raw)
        if _matches(php_json_encode(payload), received, keys):
            return payload
    except (ValueError, RecursionError):
        pass
    raise InvalidSignatureError


def secret_keys(secret: Secret) -> list[bytes]:
    """The HMAC keys of one secret or several; refuses none and empty ones.

    An empty key would let anyone sign: a secret read from an unset environment
    variable must fail loudly, not accept forgeries.
    """
    secrets = [secret] if isinstance(secret, (str, bytes)) else list(secret)
    keys = [s.encode() if isinstance(s, str) else bytes(s) for s in secrets]
    if not keys or not all(keys):
        raise ValueError("a webhook secret must be given and not be empty")
    return keys


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # Starlette's, aiohttp's and httpx's headers ignore case themselves; a dict may not.
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def _check_timestamp(value: str | None, tolerance: float, now: float | None) -> None:
    try:
        sent_at = float(value) if value is not None else math.nan
    except ValueError:
        sent_at = math.nan
    if not math.isfinite(sent_at):
        raise TimestampOutOfRangeError(timestamp=value, skew=None, tolerance=tolerance)
    skew = (time.time() if now is None else now) - sent_at
    if abs(skew) > tolerance:
        raise TimestampOutOfRangeError(timestamp=value, skew=skew, tolerance=tolerance)


def _matches(data: bytes, received: bytes, keys: list[bytes]) -> bool:
    # The header's length says which form it claims; length is no secret. Each compare
    # is constant-time; stopping at a match reveals only what the sender already knows.
    raw_form = len(received) == _RAW_DIGEST_LENGTH
    for key in keys:
        mac = hmac.new(key, data, hashlib.sha256)
        expected = mac.digest() if raw_form else mac.hexdigest().encode()
        if hmac.compare_digest(base64.b64encode(expected), received):
            return True
    return False


def _structure(data: Any, cls: type[T]) -> T:
    try:
        result: T = structure(data, cls)
        return result
    except Exception as exc:
        # cattrs and the hooks raise TypeError, ValueError, KeyError, OverflowError...:
        # whatever the shape problem, the sender is told 400, not 500.
        raise MalformedPayloadError(f"not an Easify {cls.__name__}: {exc}") from exc
