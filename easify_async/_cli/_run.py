"""Running a command's coroutine: exit codes, errors, and a clean stop on Ctrl-C."""

from __future__ import annotations

import enum
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn

import anyio

from ..errors import APIConnectionError, EasifyError
from ._output import Output

__all__ = ["ExitCode", "run"]


class ExitCode(enum.IntEnum):
    """What ``easify`` exits with; scripts tell outcomes apart by it."""

    OK = 0
    USAGE = 2  # click's own code for a bad command line
    API_ERROR = 3  # the server refused, or an argument is invalid
    PARTIAL = 4  # a bulk run (or dry run) where some rows failed
    CONNECTION = 5  # no usable reply from the server
    TIMEOUT = 6  # `sms wait` saw no final status in time
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def run(output: Output, main: Callable[[], Awaitable[ExitCode]]) -> NoReturn:
    """Run ``main`` on anyio and exit with its code, or with the code of its error."""
    try:
        code = anyio.run(_until_interrupted, main)
    except APIConnectionError as exc:
        output.error(exc)
        code = ExitCode.CONNECTION
    except EasifyError as exc:
        output.error(exc)
        code = ExitCode.API_ERROR
    except TimeoutError as exc:
        output.error(exc)
        code = ExitCode.TIMEOUT
    except KeyboardInterrupt:  # platforms without signal receivers (Windows)
        code = ExitCode.INTERRUPTED
    if code is ExitCode.INTERRUPTED:
        output.note("Interrupted.")
    sys.exit(code)


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
