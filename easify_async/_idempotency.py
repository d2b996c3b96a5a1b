"""A call with an idempotency key: claimed in the ledger, sent once, its outcome recorded.

The one place keys are handled; the creating calls reach it through `HttpCore`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from . import errors
from ._bulk._stops import stops_run
from .errors import APIError, ArgumentError, KeyInProgressError, RateLimitError, UnknownOutcomeError
from .ledgers._entry import LedgerEntry, RecordedError, new_claimer

if TYPE_CHECKING:
    from ._encoding import Encoded
    from ._routes import Route
    from .ledgers import Ledger

__all__ = ["checked_ledger", "fingerprint", "lookup_item", "once"]

logger = logging.getLogger("easify_async")

T = TypeVar("T")

#: The longest key: a ledger's keys are the caller's, stored as given.
MAX_KEY_LENGTH = 255
# A second caller asks again after this long, doubling up to a second.
_FIRST_POLL = 0.02


def checked_ledger(key: object, ledger: Ledger | None) -> Ledger:
    """The ledger to keep ``key`` in, once ``key`` is checked: a str of 1 to 255
    characters.

    Raises:
        ArgumentError: it is not, or the client has no ledger to keep it in.
    """
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        shown = type(key).__name__ if not isinstance(key, str) else f"{len(key)} characters"
        raise ArgumentError(
            "idempotency_key", f"must be a str of 1 to {MAX_KEY_LENGTH} characters, not {shown}"
        )
    if ledger is None:
        raise ArgumentError(
            "idempotency_key",
            "needs a ledger to keep it in: AsyncEasify(ledger=SqliteLedger(path)) "
            "or with_options(ledger=...); nothing was sent",
        )
    return ledger


def fingerprint(route: Route[Any, Any], encoded: Encoded[Any]) -> str:
    """A hash of what a call sends: the route and the encoded request (never the token,
    which travels in a header). A file sent is hashed by its name and bytes."""
    files = [
        [name, filename, hashlib.sha256(content).hexdigest()]
        for name, (filename, content) in encoded.files or []
    ]
    what = [route.version, route.method, route.path, encoded.params, encoded.json, encoded.data]
    text = json.dumps([*what, files], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def lookup_item(route: Route[Any, Any], encoded: Encoded[Any]) -> dict[str, Any]:
    """What a reconcile needs to look the request up later (`LedgerEntry.item`): its kind
    and, for an SMS or a contact, the fields the API's lists are searched by, as sent
    (numbers national, beside their country code), in the shape of a bulk journal's item
    so that one finder serves both."""
    kind, names = _lookups().get(route, (route.bucket, ()))
    fields: Mapping[str, Any] = encoded.json or encoded.data or encoded.params or {}
    # Text and numbers only (what these fields are): nothing else is kept.
    kept = {name: fields[name] for name in names if isinstance(fields.get(name), (str, int))}
    return {"kind": kind, **kept}


@functools.cache
def _lookups() -> dict[Route[Any, Any], tuple[str, tuple[str, ...]]]:
    """Each creating route's kind, and the fields a reconcile looks its request up by."""
    from ._routes import (
        CAMPAIGN_SEND,
        CONTACT_GROUPS_CREATE,
        CONTACTS_CREATE,
        EMAIL_SEND,
        EMAIL_V3_SEND,
        SMS_SEND,
    )

    return {
        SMS_SEND: ("sms", ("from_number", "to_number", "country_code", "message")),
        CONTACTS_CREATE: ("contact", ("group_id", "phone_number", "email_address", "country_code")),
        EMAIL_SEND: ("email", ()),
        EMAIL_V3_SEND: ("email_v3", ()),
        CAMPAIGN_SEND: ("campaign", ()),
        CONTACT_GROUPS_CREATE: ("contact_group", ()),
    }


async def once(
    ledger: Ledger,
    key: str,
    route: Route[Any, T],
    encoded: Encoded[Any],
    send: Callable[[Callable[[], Awaitable[None]]], Awaitable[T]],
) -> T:
    """``send(before_send)`` (``encoded`` on ``route``) at most once for ``key``: its
    recorded outcome otherwise.

    ``before_send`` is to be awaited before each attempt goes out: a failure before it
    ran sent nothing, so the claim is released.

    Raises:
        ArgumentError: the key was claimed for other arguments (``digest`` differs).
        UnknownOutcomeError: the key's outcome is unknown (its claimer died mid-request,
            or its request failed in a way that may have acted) until settled.
        KeyInProgressError: a live claimer still held it after the ledger's ``wait``.
        LedgerUnavailableError: the ledger cannot be used; nothing was sent.
        APIError: the refusal recorded for the key, or the one this call got.
    """
    claimer = new_claimer()
    digest, item = fingerprint(route, encoded), lookup_item(route, encoded)
    waited, poll = 0.0, _FIRST_POLL
    while (held := await ledger.claim(key, digest, claimer=claimer, item=item)) is not None:
        if held.fingerprint != digest:
            raise ArgumentError(
                "idempotency_key",
                f"{key!r} was used for a call with other arguments (or another call); "
                "a key names one request: nothing was sent",
            )
        if held.state != "in_progress" or not held.claimer_alive:
            return _recorded(held, route.result)
        if waited >= ledger.wait:
            raise KeyInProgressError(key, held.claimer or "", waited)
        pause = min(poll, ledger.wait - waited)
        await anyio.sleep(pause)
        waited, poll = waited + pause, min(poll * 2, 1.0)
    return await _send(ledger, key, claimer, send)


async def _send(
    ledger: Ledger,
    key: str,
    claimer: str,
    send: Callable[[Callable[[], Awaitable[None]]], Awaitable[T]],
) -> T:
    """Send under the claim, heartbeating, and record what came of it."""
    went_out = False

    async def before_send() -> None:
        nonlocal went_out
        went_out = True

    async def heartbeat() -> None:
        while True:
            await anyio.sleep(ledger.lease / 3)
            try:
                await ledger.heartbeat(key, claimer=claimer)
            except errors.JournalError as exc:
                # The lease then runs out: others see the outcome as unknown, never resend.
                logger.warning("could not renew the claim of key %r: %s", key, exc)

    failure: Exception | None = None
    async with anyio.create_task_group() as beats:
        beats.start_soon(heartbeat)
        try:
            result = await send(before_send)
        except Exception as exc:
            failure = exc
        except BaseException as exc:  # cancelled, interrupted: recorded before it goes on
            with anyio.CancelScope(shield=True):
                await _record_failure(ledger, key, claimer, exc, went_out)
            raise
        finally:
            beats.cancel_scope.cancel()
    if failure is not None:
        with anyio.CancelScope(shield=True):
            await _record_failure(ledger, key, claimer, failure, went_out)
        raise failure
    from ._serde import to_dict

    try:
        with anyio.CancelScope(shield=True):
            await ledger.record(key, claimer=claimer, result=to_dict(result))
    except errors.JournalError as exc:
        # Sent: failing the call now would invite a resend under another key. The claim
        # runs out instead, and the key's outcome reads unknown until settled.
        logger.warning("sent, but could not record the result of key %r: %s", key, exc)
    return result


async def _record_failure(
    ledger: Ledger, key: str, claimer: str, exc: BaseException, went_out: bool
) -> None:
    """Release the claim of a request that certainly did not act; record the error of
    one refused for itself, or that may have acted."""
    maybe_sent = went_out and getattr(exc, "maybe_sent", True) is not False
    try:
        if maybe_sent:
            await ledger.record(key, claimer=claimer, error=_error_of(exc, maybe_sent=True))
        elif _refused_for_itself(exc):
            await ledger.record(key, claimer=claimer, error=_error_of(exc, maybe_sent=False))
        else:
            await ledger.release(key, claimer=claimer)
    except errors.JournalError as failed:
        logger.warning("could not record the outcome of key %r: %s", key, failed)


def _refused_for_itself(exc: BaseException) -> bool:
    """A refusal of this request (a bad recipient, a validation error), which the same
    request would get again: recorded. A refusal of the account (token, plan, credits,
    sender: `stops_run`) or a 429 is not the request's: the key is released for a retry."""
    return isinstance(exc, APIError) and not isinstance(exc, RateLimitError) and not stops_run(exc)


def _error_of(exc: BaseException, *, maybe_sent: bool) -> RecordedError:
    if isinstance(exc, APIError):
        return RecordedError(
            type=type(exc).__name__,
            message=exc.message,
            maybe_sent=maybe_sent,
            status_code=exc.status_code,
            errors=exc.errors,
        )
    return RecordedError(type=type(exc).__name__, message=str(exc), maybe_sent=maybe_sent)


def _recorded(held: LedgerEntry, result_type: type[T]) -> T:
    """The outcome recorded for the key: its result, or its error raised."""
    if held.ambiguous:
        if held.state == "in_progress":
            cause = f"its claimer {held.claimer!r} stopped mid-request (no heartbeat)"
        else:
            assert held.error is not None
            cause = f"its request failed with {held.error.type}: {held.error.message}"
        raise UnknownOutcomeError(held.key, f"{cause}; settle it in the ledger")
    if held.state == "completed":
        if held.result is None:
            raise UnknownOutcomeError(held.key, f"settled sent without its result ({held.note})")
        from ._serde import from_dict

        try:
            return from_dict(held.result, result_type)
        except TypeError as exc:  # a result settled by hand that is not this call's
            raise errors.JournalError(
                f"the ledger's result does not fit {result_type.__name__}: {exc}", key=held.key
            ) from exc
    assert held.error is not None
    raise _refusal(held.error)


def _refusal(error: RecordedError) -> APIError:
    """The recorded refusal, as the error it was (its reply is not kept)."""
    kind: Any = getattr(errors, error.type, None)
    if not (isinstance(kind, type) and issubclass(kind, APIError)) or kind is RateLimitError:
        kind = APIError
    status = error.status_code if error.status_code is not None else 400
    refusal: APIError = kind(error.message, status_code=status, errors=error.errors)
    return refusal
