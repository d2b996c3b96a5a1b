"""Running a command's coroutine: exit codes, errors, and a clean stop on Ctrl-C."""

from __future__ import annotations

import enum
import functools
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn

import anyio

if sys.version_info < (3, 11):
    # The backport, which anyio installs there. mypy checks as 3.10 (pyproject) in every
    # venv: on 3.11+ the backport is not installed, on 3.10 it is (so unused-ignore).
    from exceptiongroup import ExceptionGroup  # type: ignore[import-not-found, unused-ignore]

from .._extras import MissingExtraError
from .._logs import LOG_ENV
from ..errors import (
    APIConnectionError,
    APIError,
    EasifyError,
    InvalidFileError,
    JournalError,
    WaitTimeoutError,
)
from ._output import Output, quiet_stdout

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ._options import ClientConfig

__all__ = [
    "DEBUG_ENV",
    "ExitCode",
    "internal_error",
    "run",
    "run_with_client",
    "with_client",
]

DEBUG_ENV = "EASIFY_DEBUG"
"""Set (to anything but empty) to let an unexpected error show its traceback."""

# EASIFY_LOG (`_logs`): set, the SDK's own log lines reach stderr (else the command's
# lines say it).


class ExitCode(enum.IntEnum):
    """What ``easify`` exits with; scripts tell outcomes apart by it."""

    OK = 0
    INTERNAL = 1  # an unexpected error (a bug): rerun with EASIFY_DEBUG=1 for the traceback
    USAGE = 2  # click's own code for a bad command line; also an unusable CSV or journal
    API_ERROR = 3  # the server refused, or an argument is invalid
    PARTIAL = 4  # a bulk run (or dry run) where some rows failed
    CONNECTION = 5  # no usable reply from the server
    TIMEOUT = 6  # `sms wait` saw no final status in time
    CHECK = 7  # a bulk run where some rows may have been sent: check them before resending
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def run(output: Output, main: Callable[[], Awaitable[ExitCode]]) -> NoReturn:
    """Run ``main`` on anyio and exit with its code, or with the code of its error."""
    if not os.environ.get(LOG_ENV):
        # The SDK's warnings (a 429 it will not wait out, per request) reach stderr through
        # logging's last resort; the command reports what they mean in its own lines.
        logging.getLogger("easify_async").addHandler(logging.NullHandler())
    try:
        code = anyio.run(_until_interrupted, main)
    except KeyboardInterrupt:  # platforms without signal receivers (Windows)
        code = ExitCode.INTERRUPTED
    except Exception as exc:
        exc = _single(exc)
        if isinstance(exc, BrokenPipeError):  # `easify ... | head -1`: the reader has enough
            quiet_stdout()
            sys.exit(ExitCode.OK)
        code = _report(output, exc)
    if code is ExitCode.INTERRUPTED:
        output.note("Interrupted.")
    sys.exit(code)


ClientBody = Callable[["AsyncEasify"], Awaitable["ExitCode | None"]]
"""A command's work with the client open: its SDK call and what it prints; None is OK."""


def run_with_client(output: Output, client: ClientConfig, body: ClientBody) -> NoReturn:
    """Run ``body`` with a client made from the options (closed after it), then exit.

    The client is made first, outside the event loop, so a missing token or a bad
    --base-url is click's usage error (2) before anything runs.
    """
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            code = await body(easify)
        return ExitCode.OK if code is None else code

    run(output, main)


def with_client(
    body: Callable[..., Awaitable[ExitCode | None]],
) -> Callable[..., None]:
    """The command runner: ``body(easify, output, **options)`` as a click callback.

    Put it under the command's options (with `client_options` and `json_option` among
    them): the callback takes ``output`` and ``client`` from those and hands the body an
    open client; `run_with_client` does the rest (exit codes, errors, Ctrl-C).
    """

    @functools.wraps(body)
    def command(*, output: Output, client: ClientConfig, **options: Any) -> None:
        run_with_client(output, client, lambda easify: body(easify, output, **options))

    return command


def _report(output: Output, exc: Exception) -> ExitCode:
    """Report the error that ended the command; its exit code."""
    if isinstance(exc, (JournalError, sqlite3.Error)):  # the journal file cannot be used
        output.error(exc, context="journal")
        return ExitCode.USAGE
    if isinstance(exc, MissingExtraError):  # `easify demo` without the sandbox extra
        output.error(exc)
        return ExitCode.USAGE
    if isinstance(exc, APIError) and exc.maybe_sent:  # a 5xx, an unreadable success
        output.error(exc, context=_what_the_server_did(exc))
        return ExitCode.API_ERROR
    if isinstance(exc, InvalidFileError):  # a file the command line names: as click's Path
        output.error(exc)
        return ExitCode.USAGE
    for kind, code in _CODES:
        if isinstance(exc, kind):
            output.error(exc)
            return code
    return internal_error(output, exc)


def _what_the_server_did(exc: APIError) -> str:
    """What an unusable reply means for the request: a read changed nothing."""
    # Here, not at the top: the route table loads every model, which `easify --help`
    # does not need; a reply has come, so it is loaded already.
    from .._routes import ROUTE_EXTENSION

    request = None if exc.response is None else exc.response.request
    route = None if request is None else request.extensions.get(ROUTE_EXTENSION)
    if route is not None and route.method == "GET":
        return "the reply to this read was not usable (nothing was sent or changed; run it again)"
    if route is not None and route.idempotent:
        return "the server may have made the change (running the command again is safe)"
    return "the server may have acted on the request (a send may have gone out)"


# In order: an APITimeoutError is a connection error, a WaitTimeoutError (an EasifyError
# too) is `sms wait`'s own exit code.
_CODES: tuple[tuple[type[Exception], ExitCode], ...] = (
    (APIConnectionError, ExitCode.CONNECTION),
    (WaitTimeoutError, ExitCode.TIMEOUT),
    (EasifyError, ExitCode.API_ERROR),
)


def _single(exc: Exception) -> Exception:
    """The first error inside nested exception groups (a task group's), else ``exc``.

    Workers of one run fail alike (every one hits the same unusable journal): the first
    says it in the one line a failure gets.
    """
    while isinstance(exc, ExceptionGroup):
        exc = exc.exceptions[0]
    return exc


def internal_error(output: Output, exc: Exception) -> ExitCode:
    """Report an error no handler expected in one line, or re-raise it under EASIFY_DEBUG."""
    if os.environ.get(DEBUG_ENV):
        raise exc
    output.error(exc, context=f"internal error; rerun with {DEBUG_ENV}=1 for the traceback")
    return ExitCode.INTERNAL


async def _until_interrupted(main: Callable[[], Awaitable[ExitCode]]) -> ExitCode:
    # SIGINT/SIGTERM cancel `main` like any anyio cancellation, so its cleanup (the bulk
    # journal's last writes, closing the client) runs before the process exits.
    code = ExitCode.INTERRUPTED
    error: Exception | None = None

    async def body() -> None:
        nonlocal code, error
        try:
            code = await main()
        except Exception as exc:  # re-raised below, outside the task group's ExceptionGroup
            error = exc
        tg.cancel_scope.cancel()

    async with anyio.create_task_group() as tg:
        tg.start_soon(body)
        if sys.platform != "win32":
            with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                async for _ in signals:
                    tg.cancel_scope.cancel()
    if error is not None:
        raise error
    return code
