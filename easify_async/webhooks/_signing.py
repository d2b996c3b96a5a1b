"""Producing Easify's ``X-Easify-Signature``: base64 of the lowercase hex HMAC-SHA256."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from .._php_json import php_json_encode
from ..errors import ArgumentError

__all__ = ["sign", "signature_for"]


def signature_for(body: bytes, secret: str | bytes) -> bytes:
    """The header value for exactly these bytes, as ASCII bytes.

    PHP's ``hash_hmac`` returns hex text, and that text is what Easify base64-encodes,
    so the result is 88 characters, not the 44 of base64 over the raw digest.
    """
    key = secret.encode() if isinstance(secret, str) else secret
    hex_digest = hmac.new(key, body, hashlib.sha256).hexdigest()
    return base64.b64encode(hex_digest.encode("ascii"))


def sign(payload: bytes | str | Mapping[str, Any] | Sequence[Any], *, secret: str | bytes) -> str:
    """The ``X-Easify-Signature`` value Easify would send for ``payload``.

    ``bytes`` and ``str`` are signed as they are; a mapping or list is first encoded the
    way PHP's ``json_encode`` does (compact, ``\\/``, ``\\uXXXX``).

    Examples:
        >>> sign({"sms_id": "1", "status": "Delivered"}, secret="s3cret")[:12]
        'YmNjYjk4ZjAz'
    """
    if not isinstance(secret, (str, bytes)):
        raise ArgumentError("secret", f"expected a str or bytes, got {type(secret).__name__}")
    if isinstance(payload, bytes):
        body = payload
    elif isinstance(payload, str):
        body = payload.encode()
    else:
        try:
            body = php_json_encode(payload)
        except (TypeError, ValueError, RecursionError) as exc:  # a date, NaN, a set, a cycle
            raise ArgumentError("payload", f"cannot be encoded as JSON: {exc}") from None
    return signature_for(body, secret).decode("ascii")
