"""Verifying a webhook delivery: size, timestamp, signature, then parsing."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from .._php_json import php_json_encode
from .._validation import check_instant, check_seconds
from ..errors import ArgumentError
from ._errors import (
    EventTooOldError,
    InvalidSignatureError,
    MalformedPayloadError,
    TimestampOutOfRangeError,
)
from ._events import EmailEvent, SmsEvent
from ._parse import JsonError, loads_strict, structure_event

__all__ = [
    "EMAIL_TOLERANCE",
    "MAX_BODY_BYTES",
    "SMS_TOLERANCE",
    "Secret",
    "SigningKeys",
    "check_not_before",
    "check_tolerance",
    "email_events",
    "sms_event",
    "verify_email_events",
    "verify_payload",
    "verify_sms_event",
]

#: Bodies larger than this are refused before any hashing (an email batch is a few KB).
MAX_BODY_BYTES = 1 << 20
#: Seconds of clock difference accepted by default, as each documentation page says.
SMS_TOLERANCE = 900.0
EMAIL_TOLERANCE = 300.0

Secret = str | bytes | Iterable[str | bytes]
Body = bytes | bytearray | memoryview | str

_SIGNATURE = "X-Easify-Signature"
_TIMESTAMP = "X-Easify-Timestamp"
# Base64 of the 32 raw digest bytes; the documented form (base64 of the hex text) is 88.
_RAW_DIGEST_LENGTH = 44
# ASCII digits only: int() and float() would also take "1_700_000_000", "1e9", " 17" and
# other scripts' digits, so one header could be read differently by two checks.
_UNIX_TIME = re.compile(r"[0-9]{1,15}")
# An SMS event's created_at names no zone; read in the earliest one (UTC+14) it is the
# earliest instant the event can have happened.
_EARLIEST_ZONE = 14 * 3600


def verify_sms_event(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float = SMS_TOLERANCE,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    not_before: float | None = None,
) -> SmsEvent:
    """Check an SMS status webhook and return its event.

    Args:
        body: the request body exactly as received.
        headers: the request headers, any mapping (a dict, or Starlette's, aiohttp's or
            httpx's headers); ``X-Easify-Signature`` and ``X-Easify-Timestamp`` are read,
            in any letter case.
        secret: the Signature Verification Secret, or several (during a rotation).
        tolerance: seconds the timestamp may differ from ``now`` either way (the SMS
            page says 15 minutes); finite and above 0.
        now: UNIX time to check against; the current time by default.
        max_bytes: a longer body is refused before it is hashed.
        not_before: UNIX time; an event that may have happened earlier is refused (a
            replay guard's memory start, see the webhook guide). ``created_at`` names no zone,
            so it is read in the earliest one, UTC+14. No check by default.

    Raises:
        InvalidSignatureError: the signature is missing or wrong.
        TimestampOutOfRangeError: the timestamp is missing, not ASCII digits, or too far off.
        MalformedPayloadError: the body is too long, or signed but not an SMS event
            (duplicate keys included); the reason names the field.
        EventTooOldError: the event may have happened before ``not_before``.
        ArgumentError: no secret, an empty one, or a tolerance that is not a finite
            number above 0 (a `ValueError` too).

    Examples:
        >>> body = await request.body()  # doctest: +SKIP
        >>> event = verify_sms_event(body, request.headers, secret=SECRET)  # doctest: +SKIP
    """
    try:
        keys = SigningKeys.of(secret)
    finally:
        del secret  # see SigningKeys
    return sms_event(
        body, headers, keys=keys, tolerance=tolerance, now=now, max_bytes=max_bytes,
        not_before=not_before,
    )  # fmt: skip


def sms_event(
    body: Body,
    headers: Mapping[str, str],
    *,
    keys: SigningKeys,
    tolerance: float,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    not_before: float | None = None,
) -> SmsEvent:
    """`verify_sms_event` with the keys already checked (the receivers keep them)."""
    payload = verify_payload(
        body, headers, keys=keys, tolerance=tolerance, now=now, max_bytes=max_bytes,
        not_before=not_before,
    )  # fmt: skip
    event: SmsEvent = structure_event(payload, SmsEvent)
    if not_before is not None:
        check_not_before(event, not_before)
    return event


def verify_email_events(
    body: Body,
    headers: Mapping[str, str],
    *,
    secret: Secret,
    tolerance: float = EMAIL_TOLERANCE,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    not_before: float | None = None,
) -> list[EmailEvent]:
    """Check an email webhook and return its batch of events (the email page says ±5 min).

    Same arguments and errors as `verify_sms_event`; ``not_before`` is checked against
    each event's ``timestamp`` (UNIX seconds, so exact), and one event refused refuses
    the batch.

    Examples:
        >>> events = verify_email_events(body, request.headers, secret=SECRET)  # doctest: +SKIP
        >>> [e.event for e in events]  # doctest: +SKIP
        [<EmailEventKind.PROCESSED: 'processed'>, <EmailEventKind.DELIVERED: 'delivered'>]
    """
    try:
        keys = SigningKeys.of(secret)
    finally:
        del secret  # see SigningKeys
    return email_events(
        body, headers, keys=keys, tolerance=tolerance, now=now, max_bytes=max_bytes,
        not_before=not_before,
    )  # fmt: skip


def email_events(
    body: Body,
    headers: Mapping[str, str],
    *,
    keys: SigningKeys,
    tolerance: float,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    not_before: float | None = None,
) -> list[EmailEvent]:
    """`verify_email_events` with the keys already checked (the receivers keep them)."""
    payload = verify_payload(
        body, headers, keys=keys, tolerance=tolerance, now=now, max_bytes=max_bytes,
        not_before=not_before,
    )  # fmt: skip
    if not isinstance(payload, list):
        raise MalformedPayloadError("an email webhook body is a JSON array of events")
    events: list[EmailEvent] = []
    for number, item in enumerate(payload, 1):
        try:
            event: EmailEvent = structure_event(item, EmailEvent)
        except MalformedPayloadError as exc:
            raise MalformedPayloadError(f"event {number} of {len(payload)}: {exc.reason}") from None
        if not_before is not None:
            check_not_before(event, not_before)
        events.append(event)
    return events


def verify_payload(
    body: Body,
    headers: Mapping[str, str],
    *,
    keys: SigningKeys,
    tolerance: float,
    now: float | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    not_before: float | None = None,
) -> Any:
    """Check size, timestamp and signature; return the decoded JSON payload.

    ``not_before`` is only checked to be a time here (a NaN would let any event
    through); the caller compares its events with it.

    The signature is accepted over the raw body, and over PHP's ``json_encode`` of the
    decoded payload (what Easify's PHP signs if it re-encodes), as base64 of the hex
    digest (documented) or of the raw digest (spec §4.1's safety net).
    """
    check_tolerance(tolerance)
    if now is not None:
        check_instant("now", now)  # a NaN `now` would accept any timestamp
    if not_before is not None:
        check_instant("not_before", not_before)
    if not isinstance(headers, Mapping):
        raise ArgumentError("headers", f"expected a mapping, got {type(headers).__name__}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ArgumentError("max_bytes", f"must be a positive integer, not {max_bytes!r}")
    if not isinstance(body, (str, bytes, bytearray, memoryview)):
        # bytes(5) would be five zero bytes, not an error.
        raise ArgumentError("body", f"expected bytes or str, got {type(body).__name__}")
    raw = body.encode() if isinstance(body, str) else bytes(body)
    if len(raw) > max_bytes:
        raise MalformedPayloadError(f"the body is over {max_bytes} bytes")
    _check_timestamp(_header(headers, _TIMESTAMP), tolerance, now)
    received = (_header(headers, _SIGNATURE) or "").strip().encode()
    if not received:
        raise InvalidSignatureError(missing=True)
    if _matches(raw, received, keys.reveal()):
        try:
            return loads_strict(raw)
        except JsonError as exc:
            raise MalformedPayloadError(str(exc)) from None
    # Not signed as received: maybe signed as PHP re-encodes the same payload. A body
    # that cannot be decoded or re-encoded (NaN, duplicate keys, deep nesting) was not
    # signed at all.
    try:
        payload = loads_strict(raw)
        if _matches(php_json_encode(payload), received, keys.reveal()):
            return payload
    except (ValueError, RecursionError):  # JsonError included
        pass
    raise InvalidSignatureError


@frozen
class SigningKeys:
    """The HMAC keys of one webhook secret or several, checked once and never shown.

    Held instead of the secret wherever a failed verification's traceback can reach:
    Sentry and rich print the locals of every frame an error passed through, so the
    public ``verify_*`` functions drop their ``secret`` argument as soon as it is read,
    and the receivers keep only this.
    """

    _keys: tuple[bytes, ...] = field(repr=False)

    @classmethod
    def of(cls, secret: Secret) -> SigningKeys:
        """The keys of ``secret``; refuses none and empty ones.

        An empty key would let anyone sign: a secret read from an unset environment
        variable must fail loudly, not accept forgeries.

        Raises:
            ArgumentError: no secret, an empty one, or not a str or bytes (nor several).
        """
        keys, problem = _keys_of(secret)
        del secret  # not in this frame's locals when the error below is raised
        if problem is not None:
            raise ArgumentError("secret", problem)
        return cls(keys)

    def reveal(self) -> tuple[bytes, ...]:
        """The keys themselves, for the signature check."""
        return self._keys

    def __repr__(self) -> str:
        return f"SigningKeys(<{len(self._keys)} hidden>)"


def _keys_of(secret: Secret) -> tuple[tuple[bytes, ...], str | None]:
    # Returns the problem rather than raising it: a raise here would keep the secret in
    # this frame's locals, which the error's traceback shows.
    given: object = secret  # checked here: the annotation is no promise at run time
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        secrets: list[object] = [given]
    else:
        secrets = list(given)
    keys: list[bytes] = []
    for each in secrets:
        if not isinstance(each, (str, bytes)):  # bytes(5) would be five zero bytes
            return (), "expected a str or bytes, or several of them"
        keys.append(each.encode() if isinstance(each, str) else each)
    if not keys or not all(keys):
        return (), "a webhook secret must be given and not be empty"
    return tuple(keys), None


def check_tolerance(tolerance: float) -> float:
    """``tolerance`` if it is a finite number of seconds above 0 (NaN would pass any skew)."""
    return check_seconds("tolerance", tolerance)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # Starlette's, aiohttp's and httpx's headers ignore case themselves; a dict may not.
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def _check_timestamp(value: str | None, tolerance: float, now: float | None) -> None:
    if value is None or not _UNIX_TIME.fullmatch(value):
        raise TimestampOutOfRangeError(timestamp=value, skew=None, tolerance=tolerance)
    skew = (time.time() if now is None else now) - int(value)
    if abs(skew) > tolerance:
        raise TimestampOutOfRangeError(timestamp=value, skew=skew, tolerance=tolerance)


def check_not_before(event: SmsEvent | EmailEvent, not_before: float) -> None:
    """Raise `EventTooOldError` if ``event`` may have happened before ``not_before``.

    Exactly at ``not_before`` passes: a replay guard's ``remembers_since`` plus the
    tolerance is the earliest time whose first delivery it is sure to remember. An event
    without a signed time passes (protected only while its key is kept).
    """
    if isinstance(event, SmsEvent):
        if event.created_at is None:
            return
        happened_at = event.created_at
        as_utc = happened_at.replace(tzinfo=dt.timezone.utc).timestamp()
        earliest = as_utc - _EARLIEST_ZONE
    else:
        if event.timestamp is None:
            return
        happened_at = event.timestamp
        earliest = happened_at.timestamp()
    if earliest < not_before:
        raise EventTooOldError(happened_at=happened_at, not_before=not_before)


def _matches(data: bytes, received: bytes, keys: tuple[bytes, ...]) -> bool:
    # The header's length says which form it claims; length is no secret. Each compare
    # is constant-time; stopping at a match reveals only what the sender already knows.
    raw_form = len(received) == _RAW_DIGEST_LENGTH
    for key in keys:
        mac = hmac.new(key, data, hashlib.sha256)
        expected = mac.digest() if raw_form else mac.hexdigest().encode()
        if hmac.compare_digest(base64.b64encode(expected), received):
            return True
    return False
