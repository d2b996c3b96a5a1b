"""Argument helpers shared by the endpoint groups."""

from __future__ import annotations

import os
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
)
from typing import TYPE_CHECKING, Any, TypeVar

from .._encoding import Encoded
from .._http import HttpCore
from .._options import call_options
from .._routes import Route
from .._transports import NotSentReason
from .._validation import FileInput, Upload, check_journal_path, read_upload
from ..errors import ArgumentError, BadRequestError

if TYPE_CHECKING:
    from .._bulk import (
        BulkProgress,
        BulkResult,
        EmailMessage,
        EmailV3Message,
        NewContact,
        SmsMessage,
    )
    from .._models.common import Acknowledged
    from ..ledgers import Ledger

__all__ = [
    "MAX_CONCURRENCY",
    "delete",
    "file_or_url",
    "has_text",
    "optional_text",
    "positive",
    "send_many",
]

#: The most items a bulk run keeps in progress at once. Each is a task waiting for a
#: rate-limit slot and a pooled connection; the API's busiest limit is 60 a minute, so
#: more than this is a mistake (10**7 ran out of memory), not a faster run.
MAX_CONCURRENCY = 1000

M = TypeVar("M", "SmsMessage", "EmailMessage", "EmailV3Message", "NewContact")
Q = TypeVar("Q")
R = TypeVar("R", bound="BulkResult")
S = TypeVar("S")


def has_text(value: str | None, argument: str = "message") -> bool:
    """Whether a message is really there (not None, not blank).

    Raises:
        ArgumentError: it is neither None nor a string (an int, a dict).
    """
    if value is None:
        return False
    if not isinstance(value, str):
        raise ArgumentError(argument, f"expected a string, got {type(value).__name__}")
    return bool(value.strip())


def optional_text(argument: str, value: object) -> str | None:
    """``None``, or ``value`` as text (ints become strings); anything else is an error."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ArgumentError(argument, f"expected a string, got {type(value).__name__}")


def file_or_url(argument: str, value: FileInput) -> tuple[str | None, Upload | None]:
    """A URL string stays a URL; a path, bytes or file object becomes an upload."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value, None
    return None, read_upload(argument, value)


def positive(argument: str, value: int, *, most: int | None = None) -> int:
    """``value`` if it is a positive int (at most ``most``), else `ArgumentError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(argument, f"must be a positive integer, got {value!r}")
    if most is not None and value > most:
        raise ArgumentError(argument, f"must be at most {most}, got {value}")
    return value


def journal_path(journal: str | os.PathLike[str] | None) -> str | None:
    """``journal`` if it can name a file (checked before the run, like its other checks)."""
    return None if journal is None else check_journal_path("journal", journal)


async def delete(
    http: HttpCore,
    route: Route[Q, Acknowledged],
    encoded: Encoded[Q],
    *,
    gone: type[BadRequestError],
    options: Mapping[str, object],
) -> None:
    """Delete one record; ``gone`` (its "Invalid ... id" error) raised only if it is true.

    A delete whose reply was lost (a dropped connection, a 5xx) is retried; when the retry
    is told the id is unknown, the lost attempt is what deleted it: that is success.
    """
    from .._transports import attempt_log

    try:
        await http.call(route, encoded, options=options)
    except gone as exc:
        if exc.response is None or not attempt_log(exc.response).may_have_acted_before:
            raise


def send_many(
    http: HttpCore,
    items: Iterable[M] | AsyncIterable[M],
    *,
    route: Route[Q, S],
    encode: Callable[[M], Encoded[Q]],
    id_of: Callable[[S], str],
    make_result: Callable[..., R],
    concurrency: int,
    journal: str | os.PathLike[str] | Ledger | None,
    on_progress: Callable[[BulkProgress], object] | None,
    resend_ambiguous: bool,
    max_failures: int | None,
    kind: str,
    options: Mapping[str, object],
) -> AsyncGenerator[R, None]:
    """Run a bulk call of ``items`` to ``route``: what every ``send_many``/``create_many`` share.

    ``options`` (`RequestOptions`) apply to each item's request; checked here, at the call.

    ``journal`` is a journal's path, or a ledger: then each item is sent as a call with
    its key as the idempotency key (`easify_async._idempotency.once`).
    """
    from .._bulk import BulkRun
    from .._bulk._stops import StopRules
    from ..ledgers import Ledger

    if isinstance(journal, Ledger):
        ledger, path = journal, None
    else:
        ledger, path = None, journal_path(journal)

    async def send_one(
        key: str,
        item: M,
        before_send: Callable[[], Awaitable[None]],
        not_sent: Callable[[NotSentReason], Awaitable[None]],
    ) -> str:
        encoded = encode(item)
        if ledger is None:
            sent = await http.call(
                route, encoded, options=options, before_send=before_send, not_sent=not_sent
            )
            return id_of(sent)
        from .._idempotency import once

        def send(claimed: Callable[[], Awaitable[None]]) -> Awaitable[S]:
            async def going_out() -> None:
                await claimed()
                await before_send()

            return http.call(
                route, encoded, options=options, before_send=going_out, not_sent=not_sent
            )

        return id_of(await once(ledger, key, route, encoded, send))

    call_options(options, reads=False)
    if isinstance(items, (str, bytes)) or not isinstance(items, (Iterable, AsyncIterable)):
        raise ArgumentError("items", f"expected an iterable of items, got {type(items).__name__}")
    if on_progress is not None and not callable(on_progress):
        raise ArgumentError("on_progress", f"expected a callable, got {type(on_progress).__name__}")
    if not isinstance(resend_ambiguous, bool):
        raise ArgumentError("resend_ambiguous", f"must be True or False, not {resend_ambiguous!r}")
    if resend_ambiguous and ledger is not None:
        raise ArgumentError(
            "resend_ambiguous", "a ledger's ambiguous keys are settled in the ledger, not resent"
        )
    run: BulkRun[Any, R] = BulkRun(
        send=send_one,
        make_result=make_result,
        concurrency=positive("concurrency", concurrency, most=MAX_CONCURRENCY),
        journal_path=path,
        on_progress=on_progress,
        resend_ambiguous=resend_ambiguous,
        stop_rules=StopRules(
            None if max_failures is None else positive("max_failures", max_failures)
        ),
        kind=kind,
        on_ledger=ledger is not None,
    )
    return run.results(items)
