"""From an ``httpx.Response`` to the envelope's data, or to the documented typed error."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from attrs import field, frozen

from ._retry_after import server_wait
from ._secrets import KnownSecrets, carried_tokens
from ._transports import ReplyRefused
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BlacklistedRecipientError,
    DefaultGroupError,
    InsufficientCreditsError,
    InvalidContactError,
    InvalidEmailAddressError,
    InvalidGroupError,
    InvalidRecipientError,
    InvalidSenderError,
    InvalidSmsIdError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)

__all__ = ["misfit_error", "refused_error", "success_payload", "unexpected_reply"]

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
    ("Invalid group id", InvalidGroupError),
    ("Invalid contact id", InvalidContactError),
    ("delete the default contact group", DefaultGroupError),
)
# Characters of a reply quoted in a message, of the server's own message, and kept in
# `APIError.body`: enough to diagnose any error page, never a whole runaway reply.
_MAX_QUOTED = 200
_MAX_MESSAGE = 1000
_MAX_BODY = 16 * 1024


def success_payload(response: httpx.Response, known: KnownSecrets) -> dict[str, Any]:
    """The body of a documented success (``status: true`` with ``data``); else raise.

    Quotes of the reply scrub every token in ``known`` and every one the reply carries.

    Raises:
        APIError: the subclass for the documented case; a plain `APIError` (raw text in
            ``body``) for anything that is not the documented JSON.
    """
    body = _json_object(response.content)
    if response.is_success and body is not None and body.get("status") is True and "data" in body:
        return body  # the hot path: no scrubbed copy of the reply is needed
    reply = _Reply.of(response, known, body)
    if response.is_success:
        raise APIError(
            reply.describe("a success reply without status/data"),
            status_code=response.status_code,
            body=reply.text,
            response=response,
            maybe_sent=True,
        )
    raise _error_for(reply)


def misfit_error(
    response: httpx.Response, known: KnownSecrets, model: type[object], failure: str
) -> APIError:
    """The error for a documented success whose ``data`` does not fit ``model``
    (``failure`` says why: the parse error's type and message)."""
    return unexpected_reply(
        response, known, f"the reply's data does not fit {model.__name__} ({failure})"
    )


def unexpected_reply(response: httpx.Response, known: KnownSecrets, what: str) -> APIError:
    """The error for a success reply that is not what was asked (``what`` says how).

    The server may have acted, so ``maybe_sent`` is ``True``; the body is quoted scrubbed,
    and so is ``what`` (a parse error's message may quote the reply).
    """
    reply = _Reply.of(response, known)
    return APIError(
        reply.describe(what),
        status_code=response.status_code,
        body=reply.text,
        response=response,
        maybe_sent=True,
    )


def refused_error(refused: ReplyRefused, known: KnownSecrets) -> APIError:
    """The error for a reply the transport would not take (too large, undecodable)."""
    reply = _Reply.of(refused.response, known)
    status = refused.response.status_code
    return APIError(
        reply.describe(f"a reply refused: {refused.reason}"),
        status_code=status,
        body=reply.text,
        response=refused.response,
        maybe_sent=_may_have_acted(status),
    )


def _may_have_acted(status: int) -> bool:
    # A 4xx is a refusal (the documented 400/401/402/403/422/429, a proxy's 404 or 413);
    # a 5xx, or a 2xx/3xx that is not the documented success, does not say what happened.
    return not 400 <= status < 500


@frozen
class _Reply:
    """A reply as errors may quote it: every token scrubbed, the text bounded."""

    response: httpx.Response
    text: str
    json: dict[str, Any] | None = field(repr=False)  # raw: it may reflect a token
    secrets: KnownSecrets

    @classmethod
    def of(
        cls, response: httpx.Response, known: KnownSecrets, body: dict[str, Any] | None = None
    ) -> _Reply:
        """The reply of ``response``; ``body`` is its JSON object when already parsed."""
        if body is None:
            body = _json_object(response.content)
        # The token as this request sent it, and the ones the reply carries (a
        # sub-user/tokens page that does not fit its model), besides those `known`.
        secrets = known.with_carried([*_sent_token(response), *carried_tokens(body)])
        return cls(response, secrets.scrub(_text(response))[:_MAX_BODY], body, secrets)

    def scrub(self, text: str, limit: int = _MAX_MESSAGE) -> str:
        text = self.secrets.scrub(text)
        return text[:limit] + ("..." if len(text) > limit else "")

    def describe(self, what: str) -> str:
        content_type = self.scrub(self.response.headers.get("content-type", "no content type"))
        quoted = self.scrub(self.text.strip(), _MAX_QUOTED)
        return f"{self.scrub(what)} ({content_type}): {quoted!r}"


def _text(response: httpx.Response) -> str:
    try:
        return response.text
    except Exception:  # a charset that names no text codec: rot13, base64, BOM-less utf-16
        return response.content.decode("utf-8", "replace")


def _sent_token(response: httpx.Response) -> list[str]:
    """The token as the request sent it (an event hook may have set another)."""
    try:
        authorization = response.request.headers.get("Authorization", "")
    except RuntimeError:  # a response built without its request
        return []
    return [authorization.partition(" ")[2].strip()]


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return body if isinstance(body, dict) else None


def _error_for(reply: _Reply) -> APIError:
    response, body = reply.response, reply.json
    status = response.status_code
    message = body.get("message") if body is not None else None
    if isinstance(message, str):
        message = reply.scrub(message.strip())
    else:
        message = reply.describe("an error reply that is not the documented JSON")
    if status == 404 and (body is None or body.get("status") is not False):
        message += (
            f"; {response.request.url} is not an Easify API route:"
            " check the base URL, which ends in /api/v2"
        )
    errors = _field_errors(reply)
    common: dict[str, Any] = {"status_code": status, "body": reply.text, "response": response}
    if status == 429:
        wait = server_wait(response)
        return RateLimitError(message, retry_after=wait or 0.0, errors=errors, **common)
    if status >= 500:
        return ServerError(message, errors=errors, maybe_sent=True, **common)
    if status == 400:
        if errors:  # sms/send's missing country_code: a 400 in the shape of a 422
            return ValidationError(message, errors=errors, **common)
        haystack = message if body is not None else reply.text
        for fragment, cls in _BAD_REQUEST_MESSAGES:
            if fragment in haystack:
                return cls(message, **common)
        return BadRequestError(message, **common)
    return _BY_STATUS.get(status, APIError)(
        message, errors=errors, maybe_sent=_may_have_acted(status), **common
    )


def _field_errors(reply: _Reply) -> dict[str, list[str]]:
    errors = reply.json.get("errors") if reply.json is not None else None
    if not isinstance(errors, Mapping):
        return {}  # non-validation errors carry "errors": []
    return {
        reply.scrub(str(field)): [
            reply.scrub(m)
            for m in (messages if isinstance(messages, list) else [messages])
            # Only text: a nested structure is no message, and its repr could recurse deep.
            if isinstance(m, str)
        ]
        for field, messages in errors.items()
    }
