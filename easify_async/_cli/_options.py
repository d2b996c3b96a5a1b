"""Options shared by commands: ``--json``, how to reach the API (token, URL, limits), and
those of every bulk command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from attrs import field, frozen

from .._rate_limits import RateLimits
from ._output import Output, as_typed, flag_names

if TYPE_CHECKING:
    import httpx

    from .._client import AsyncEasify

__all__ = ["ClientConfig", "bulk_options", "client_options", "deprecated_alias", "json_option"]

F = TypeVar("F", bound=Callable[..., Any])

_EASIFY_PERIOD = 60.0  # seconds of Easify's rate-limit windows


@frozen
class ClientConfig:
    """How to reach the API, from the options or the environment."""

    token: str | None = field(repr=False)  # never shown, never printed
    base_url: str | None
    rate_period: float

    @property
    def rate_limits(self) -> RateLimits:
        """Easify's limits, with every window ``rate_period`` long instead of a minute."""
        return RateLimits().scaled(self.rate_period / 60.0)

    def window_hint(self, error: BaseException | None) -> str | None:
        """What to do when ``error`` shows the server's window is longer than ``rate_period``.

        A 429 asking for a wait longer than the client waits out (see `longest_wait`)
        after a shortened --rate-period means the server's window is the longer one:
        every row past the client's burst is refused until --rate-period matches it.
        """
        from .._retry_after import longest_wait
        from ..errors import RateLimitError

        if not isinstance(error, RateLimitError) or self.rate_period >= _EASIFY_PERIOD:
            return None
        if error.retry_after <= longest_wait(self.rate_period):
            return None
        return (
            f"The server's rate-limit window is longer than --rate-period {self.rate_period:g}"
            f" (it asked for a {error.retry_after:.0f} s wait), so rows are refused and not"
            f" sent: run again with --rate-period {_EASIFY_PERIOD:g} for Easify, or the"
            " --rate-period your `easify sandbox` serves."
        )

    def client(self, transport: httpx.AsyncBaseTransport | None = None) -> AsyncEasify:
        """A client, sending through ``transport`` if given; no token is a usage error (2)."""
        if not self.token:
            raise click.UsageError("no API token: pass --token or set EASIFY_API_TOKEN")
        from .._client import AsyncEasify  # with httpx: only a command that runs needs them
        from ..errors import ArgumentError

        try:
            return AsyncEasify(
                self.token,
                base_url=self.base_url,
                rate_limits=self.rate_limits,
                transport=transport,
            )
        except ArgumentError as exc:  # a malformed --base-url (or $EASIFY_BASE_URL)
            raise click.UsageError(as_typed(exc, flag_names())) from None


def deprecated_alias(old: str, new: str) -> Callable[[F], F]:
    """``old``, a hidden flag still accepted: it warns, and its value goes to ``new``.

    The value is handed over as a default of ``new`` (click's ``default_map``), so it is
    converted and checked as if ``new`` had been typed; ``new`` typed too wins.
    """

    def hand_over(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is None:
            return
        target = next(p for p in ctx.command.params if new in getattr(p, "opts", ()))
        Output(json=False).err.print(
            f"warning: {old} is deprecated, use {new}", style="yellow", soft_wrap=True
        )
        ctx.default_map = {**(ctx.default_map or {}), str(target.name): value}

    return click.option(
        old,
        f"{old.lstrip('-').replace('-', '_')}_deprecated",
        hidden=True,
        expose_value=False,
        is_eager=True,  # handed over before `new` looks for its value
        callback=hand_over,
    )


def _to_output(ctx: click.Context, param: click.Parameter, value: bool) -> Output:
    return Output(json=value)


json_option = click.option(
    "--json",
    "output",
    is_flag=True,
    callback=_to_output,
    help="Print JSON (one object per line) on stdout instead of text.",
)
"""Adds ``--json``; the command receives ``output: Output``."""

_CLIENT_OPTIONS = (
    click.option(
        "--token",
        envvar="EASIFY_API_TOKEN",
        show_envvar=True,
        help="The Easify API token.",
    ),
    click.option(
        "--base-url",
        envvar="EASIFY_BASE_URL",
        show_envvar=True,
        help="The API's base URL, ending in /api/v2 [default: https://backend.easify.app/api/v2].",
    ),
    click.option(
        "--rate-period",
        envvar="EASIFY_RATE_PERIOD",
        show_envvar=True,
        type=click.FloatRange(min=0, min_open=True),
        default=_EASIFY_PERIOD,
        show_default=True,
        help="Seconds of the server's rate-limit window: 60 for Easify, the --rate-period "
        "of an `easify sandbox`.",
    ),
)


def client_options(command: F) -> F:
    """Adds ``--token``, ``--base-url``, ``--rate-period``; the command receives ``client``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any, token: str | None, base_url: str | None, rate_period: float, **kwargs: Any
    ) -> Any:
        return command(*args, client=ClientConfig(token, base_url, rate_period), **kwargs)

    decorated: Any = wrapper
    for option in reversed(_CLIENT_OPTIONS):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def _encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    import codecs

    try:
        return codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(
            f"no such encoding: {value!r} (utf-8, cp1252, latin-1, ...)"
        ) from None


_BULK_OPTIONS = (
    click.argument("file", type=click.Path(exists=True, dir_okay=False)),
    click.option(
        "--encoding",
        default="utf-8-sig",
        show_default=True,
        callback=_encoding,
        help="The CSV file's text encoding (utf-8-sig reads UTF-8, with or without a BOM).",
    ),
    click.option(
        "--key-column",
        metavar="COLUMN",
        help="The column whose value identifies a row across runs [default: the row number].",
    ),
    click.option(
        "--journal",
        type=click.Path(dir_okay=False),
        help="SQLite file recording every row; run again with it to resume without resending.",
    ),
    click.option(
        "--dry-run", is_flag=True, help="Validate every row and print the ETA; send nothing."
    ),
    click.option(
        "--resend-ambiguous",
        is_flag=True,
        help="Resend rows the journal holds as maybe sent (they may arrive twice).",
    ),
    click.option(
        "--max-failures",
        type=click.IntRange(min=1),
        metavar="N",
        help="Stop after N failed, not sent or maybe sent rows in a row (rows not sent yet "
        "stay unsent; --journal resumes them).",
    ),
)


def bulk_options(command: F) -> F:
    """The options every bulk command takes, besides its own field options.

    The command receives ``file`` as a `CsvFile`: FILE read with ``--encoding``.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, file: str, encoding: str, **kwargs: Any) -> Any:
        from ._rows import CsvFile  # with rich and the bulk engine: not for --help

        return command(*args, file=CsvFile(file, encoding), **kwargs)

    decorated: Any = json_option(client_options(wrapper))
    for option in reversed(_BULK_OPTIONS):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]
