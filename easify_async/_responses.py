"""From an ``httpx.Response`` to the envelope's data, or to the documented typed error."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from ._retry_after import server_wait
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BlacklistedRecipientError,
    InsufficientCreditsError,
    InvalidEmailAddressError,
    InvalidRecipientError,
    InvalidSenderError,
    InvalidSmsIdError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)

__all__ = ["success_payload"]

_BY_STATUS: dict[int, type[APIError]] = {
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    422: ValidationError,
}
# The documented 400 messages, matched as fragments so that stray spaces, punctuation and
# a body that is not even JSON (the docs' own invalid-sms_id sample) still map.
_BAD_REQUEST_MESSAGES: tuple[tuple[str, type[BadRequestError]], ...] = (
    ("Selected from number is invalid", InvalidSenderError),
    ("Invalid Sender!", InvalidSenderError),
    ("InvalidRecipient!", InvalidRecipientError),
    ("this recipient is blacklisted", BlacklistedRecipientError),
    ("do not have enough credits", InsufficientCreditsError),
    ("Invalid email address.", InvalidEmailAddressError),
    ("Failed to fetch SMS Status", InvalidSmsIdError),
)
_MAX_QUOTED = 200


def success_payload(response: httpx.Response) -> dict[str, Any]:
    """The body of a documented success (``status: true`` with ``data``); else raise.

    Raises:
        APIError: the subclass for the documented case; a plain `APIError` (raw text in
            ``body``) for anything that is not the documented JSON.
    """
    body = _json_object(response)
    if response.is_success:
        if body is not None and body.get("status") is True and "data" in body:
            return body
        raise APIError(
            _describe_unexpected(response, "a success reply without status/data"),
            status_code=response.status_code,
            body=response.text,
            response=response,
            maybe_sent=True,
        )
    raise _error_for(response, body)


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _error_for(response: httpx.Response, body: dict[str, Any] | None) -> APIError:
    status = response.status_code
    raw = response.text
    message = body.get("message") if body is not None else None
    if isinstance(message, str):
        message = message.strip()
    else:
        message = _describe_unexpected(response, "an error reply that is not the documented JSON")
    errors = _field_errors(body)
    common: dict[str, Any] = {"status_code": status, "body": raw, "response": response}
    if status == 429:
        wait = server_wait(response)
        return RateLimitError(message, retry_after=wait or 0.0, errors=errors, **common)
    if status >= 500:
        return ServerError(message, errors=errors, maybe_sent=True, **common)
    if status == 400:
        if errors:  # sms/send's missing country_code: a 400 in the shape of a 422
            return ValidationError(message, errors=errors, **common)
        haystack = message if body is not None else raw
        for fragment, cls in _BAD_REQUEST_MESSAGES:
            if fragment in haystack:
                return cls(message, **common)
        return BadRequestError(message, **common)
    # A 4xx is a refusal; a 3xx (a proxy's redirect) does not say what the server did.
    return _BY_STATUS.get(status, APIError)(
        message, errors=errors, maybe_sent=status < 400, **common
    )


def _field_errors(body: Mapping[str, Any] | None) -> dict[str, list[str]]:
    errors = body.get("errors") if body is not None else None
    if not isinstance(errors, Mapping):
        return {}  # non-validation errors carry "errors": []
    return {
        str(field): [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
        for field, messages in errors.items()
    }


def _describe_unexpected(response: httpx.Response, what: str) -> str:
    content_type = response.headers.get("content-type", "no content type")
    text = response.text.strip()
    quoted = text[:_MAX_QUOTED] + ("..." if len(text) > _MAX_QUOTED else "")
    return f"{what} ({content_type}): {quoted!r}"
