"""Where the command line writes: rich text for people, one JSON object per line for scripts."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click
from attrs import Factory, define

from ..errors import (
    APIConnectionError,
    APIError,
    ArgumentError,
    BulkStoppedError,
    RateLimitError,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

__all__ = ["Output", "error_fields", "json_ids", "plural", "quiet_stdout"]


@define
class Output:
    """The command's output: results on stdout, progress and notes on stderr.

    With ``json``, stdout carries only JSON objects, one per line, so that scripts can
    parse it while people still see progress on stderr.
    """

    json: bool
    out: Console = Factory(lambda: _console(stderr=False))
    err: Console = Factory(lambda: _console(stderr=True))

    def result(self, data: object, text: RenderableType) -> None:
        """One result: ``data`` as JSON, or ``text`` for people.

        ``data`` is a mapping, or a result of the SDK written by ``to_dict`` (the
        library's own data: a call's ``extra`` an object, times and enums as text).
        """
        if self.json:
            self.emit(data if isinstance(data, Mapping) else _to_dict(data))
        else:
            self.out.print(text)

    def emit(self, data: Mapping[str, Any]) -> None:
        """One JSON line on stdout (flushed, so a script sees it at once)."""
        click.echo(json.dumps(json_ids(data), ensure_ascii=False, default=str))

    def note(self, text: RenderableType, *, whole: bool = False) -> None:
        """A remark for people, on stderr (also in JSON mode: stdout stays parseable).

        ``whole`` keeps it on one line: a file path folded at 80 columns cannot be copied.
        """
        self.err.print(text, soft_wrap=whole)

    def error(self, exc: BaseException, *, context: str | None = None) -> None:
        """Report an error that ends the command, in one line; ``context`` says where.

        An `ArgumentError` names the flag typed (``--to``), not the SDK's argument.
        """
        names = flag_names()
        if self.json:
            fields = error_fields(exc, names)
            if context is not None:
                fields["context"] = context
            self.emit({"error": fields})
            return
        from rich.text import Text

        line = Text("error: ", style="bold red")
        if context is not None:
            line.append(f"{context}: ")
        # A message of several lines would break "one line per error".
        line.append(" ".join(as_typed(exc, names).split()) or type(exc).__name__)
        if isinstance(exc, APIError) and exc.errors:
            listed = "; ".join(f"{name}: {' '.join(m)}" for name, m in exc.errors.items())
            line.append(f" [{listed}]")
        line.append(f" ({type(exc).__name__})", style="dim")
        self.err.print(line, soft_wrap=True)  # one line per error, for logs and grep


def _to_dict(result: object) -> dict[str, Any]:
    from .._serde import to_dict  # cattrs loads when a command prints, not for --help

    return to_dict(result)


def _console(*, stderr: bool) -> Console:
    # rich loads when a command first writes, not when `easify --help` imports the commands.
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def flag_names(command: click.Command | None = None) -> dict[str, str]:
    """The running command's SDK argument names -> what its user types for them.

    The commands name their parameters after the SDK's arguments (``--to`` is
    ``to_number``): ``{"to_number": "--to", "sms_id": "SMS_ID"}``. Empty outside a command.
    """
    if command is None:
        context = click.get_current_context(silent=True)
        if context is None:
            return {}
        command = context.command
    names: dict[str, str] = {}
    for param in command.params:
        if param.name is None or not param.expose_value:  # hidden, deprecated aliases
            continue
        if isinstance(param, click.Option):
            long = [opt for opt in param.opts if opt.startswith("--")]
            names[param.name] = (long or param.opts)[0]
        else:
            names[param.name] = param.human_readable_name
    return names


def as_typed(exc: BaseException, names: Mapping[str, str]) -> str:
    """The error's message, with ``names`` (`flag_names`) for the SDK's argument names.

    ``to_number: '12345' has no country code ... or pass country_code`` reads, in
    ``sms send``, ``--to: '12345' has no country code ... or pass --country-code``.
    """
    if not isinstance(exc, ArgumentError):
        return str(exc)
    reason = exc.reason
    for name, flag in names.items():
        # Only names with an underscore: "message" or "sender" are also English words.
        if "_" in name:
            reason = re.sub(rf"\b{name}\b", flag, reason)
    # "to[1]", the second of a repeated --to: "--to[1]".
    base, bracket, index = exc.argument.partition("[")
    return f"{names.get(base, base)}{bracket}{index}: {reason}"


def error_fields(exc: BaseException, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """An error as JSON-able fields: its type, message and the context it carries.

    With ``names`` (`flag_names`) an `ArgumentError` names the flag typed, in its message
    and as ``option``; without, a bulk row's error names its CSV column, as it should.
    """
    message = str(exc) if names is None else as_typed(exc, names)
    fields: dict[str, Any] = {"type": type(exc).__name__, "message": message}
    if isinstance(exc, ArgumentError):
        fields["argument"] = exc.argument
        if names is not None and exc.argument in names:
            fields["option"] = names[exc.argument]
    if isinstance(exc, APIError):
        fields.update(status_code=exc.status_code, errors=exc.errors, maybe_sent=exc.maybe_sent)
    if isinstance(exc, RateLimitError):
        fields["retry_after"] = exc.retry_after
    if isinstance(exc, APIConnectionError):
        fields["maybe_sent"] = exc.maybe_sent
    if isinstance(exc, BulkStoppedError):
        fields.update(key=exc.key, failures=exc.failures, cause=error_fields(exc.error))
    return fields


#: Ids the API gives as an int in one reply and as a string in another: one SMS is
#: ``"sms_id": "31533"`` from a send and ``"id": 31533`` in the report; a v3 email is
#: ``"674"`` from the send and ``674`` in its status.
_ID_FIELDS = frozenset({"sms_id", "email_id", "campaign_id", "contact_id", "group_id"})


def json_ids(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with its ids as JSON numbers where the API gives them as numbers.

    A script joining `sms send` with `sms report` needs one type for an SMS id. An id
    that is not a number (a v2 email's hex id) stays a string, as does one with a leading
    zero (a number would lose it). Ids the API only gives as strings (a call's) stay so.
    """
    return {
        k: int(v)
        if k in _ID_FIELDS and isinstance(v, str) and v.isascii() and v.isdigit() and v[0] != "0"
        else v
        for k, v in data.items()
    }


def quiet_stdout() -> None:
    """Point stdout at the null device: its reader is gone (``| head -1``).

    Python flushes stdout once more on exit; into a closed pipe that is one more error.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 row"``, ``"1,000 rows"``; ``many`` for irregular words (``"SMS"``)."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"
