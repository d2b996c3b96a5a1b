"""Where the command line writes: rich text for people, one JSON object per line for scripts."""

from __future__ import annotations

import json
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

__all__ = ["Output", "error_fields", "plural"]


@define
class Output:
    """The command's output: results on stdout, progress and notes on stderr.

    With ``json``, stdout carries only JSON objects, one per line, so that scripts can
    parse it while people still see progress on stderr.
    """

    json: bool
    out: Console = Factory(lambda: _console(stderr=False))
    err: Console = Factory(lambda: _console(stderr=True))

    def result(self, data: Mapping[str, Any], text: RenderableType) -> None:
        """One result: ``data`` as JSON, or ``text`` for people."""
        if self.json:
            self.emit(data)
        else:
            self.out.print(text)

    def emit(self, data: Mapping[str, Any]) -> None:
        """One JSON line on stdout (flushed, so a script sees it at once)."""
        click.echo(json.dumps(data, ensure_ascii=False, default=str))

    def note(self, text: RenderableType, *, whole: bool = False) -> None:
        """A remark for people, on stderr (also in JSON mode: stdout stays parseable).

        ``whole`` keeps it on one line: a file path folded at 80 columns cannot be copied.
        """
        self.err.print(text, soft_wrap=whole)

    def error(self, exc: BaseException, *, context: str | None = None) -> None:
        """Report an error that ends the command, in one line; ``context`` says where."""
        if self.json:
            fields = error_fields(exc)
            if context is not None:
                fields["context"] = context
            self.emit({"error": fields})
            return
        from rich.text import Text

        line = Text("error: ", style="bold red")
        if context is not None:
            line.append(f"{context}: ")
        # A message of several lines would break "one line per error".
        line.append(" ".join(str(exc).split()) or type(exc).__name__)
        if isinstance(exc, APIError) and exc.errors:
            listed = "; ".join(f"{name}: {' '.join(m)}" for name, m in exc.errors.items())
            line.append(f" [{listed}]")
        line.append(f" ({type(exc).__name__})", style="dim")
        self.err.print(line, soft_wrap=True)  # one line per error, for logs and grep


def _console(*, stderr: bool) -> Console:
    # rich loads when a command first writes, not when `easify --help` imports the commands.
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def error_fields(exc: BaseException) -> dict[str, Any]:
    """An error as JSON-able fields: its type, message and the context it carries."""
    fields: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, ArgumentError):
        fields["argument"] = exc.argument
    if isinstance(exc, APIError):
        fields.update(status_code=exc.status_code, errors=exc.errors, maybe_sent=exc.maybe_sent)
    if isinstance(exc, RateLimitError):
        fields["retry_after"] = exc.retry_after
    if isinstance(exc, APIConnectionError):
        fields["maybe_sent"] = exc.maybe_sent
    if isinstance(exc, BulkStoppedError):
        fields.update(key=exc.key, failures=exc.failures, cause=error_fields(exc.error))
    return fields


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 row"``, ``"1,000 rows"``; ``many`` for irregular words (``"SMS"``)."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"
