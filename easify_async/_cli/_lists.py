"""List commands as data (`Listing`), and how they print: a table for people, JSON lines
with --json, a CSV file with --csv."""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import attrs
import click
from attrs import frozen

from ._options import client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify

__all__ = ["Listing", "Rows", "print_rows"]

T = TypeVar("T")

_csv_option = click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write every row, all fields, to this CSV file.",
)


Rows = AsyncIterable[Any] | Awaitable[Iterable[Any]]
"""What a listing's call gives: a paginator's rows, or one reply's list of them."""


@frozen
class Listing:
    """A list command as data: its options, its SDK call, the columns of its table.

    Every listing also takes the client options, --json and --csv, in that order after
    its own; JSON lines and the CSV file hold every field of a row, the table ``columns``.
    """

    help: str  # the command's help: its first paragraph is its line in the group's --help
    call: Callable[..., Rows]  # (client, **options): the rows
    columns: tuple[str, ...]
    title: str  # with {option}s filled in: "Campaign {campaign_id}"
    options: tuple[Callable[[Any], Any], ...] = ()  # click arguments and options

    def command(self, name: str) -> click.Command:
        """The click command ``name`` printing this listing's rows."""

        async def body(
            easify: AsyncEasify, output: Output, csv_path: Path | None, **options: Any
        ) -> None:
            rows = self.call(easify, **options)
            # A paginator is awaitable too (its first page): its rows stream as they come.
            await print_rows(
                output,
                rows if isinstance(rows, AsyncIterable) else _each(await rows),
                columns=self.columns,
                csv_path=csv_path,
                title=self.title.format(**options),
            )

        callback: Any = client_options(json_option(_csv_option(with_client(body))))
        for option in reversed(self.options):
            callback = option(callback)
        return click.command(name, help=self.help)(callback)


def _cell(value: Any) -> str:
    """A value of `to_dict`'s data as a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, (Mapping, list)):  # a call's undocumented `extra`: as JSON
        return json.dumps(value, ensure_ascii=False)
    return str(value)  # times and enums are text already


async def print_rows(
    output: Output,
    rows: AsyncIterable[Any],
    *,
    columns: Sequence[str],
    csv_path: Path | None,
    title: str,
    tabled: bool = True,
    model: type[Any] | None = None,
) -> int:
    """Print attrs ``rows`` as they arrive; return how many there were.

    JSON lines and the CSV file are written row by row (a 10,000-record report streams);
    the table for people is drawn once every row is in, showing ``columns``. Every row
    goes through ``to_dict``, the library's own data of a result, so the three agree. With
    ``tabled=False`` there is no table (an export to ``csv_path``: no row is held). With
    ``model``, the rows' attrs class, the CSV file has its header even when no row comes.
    """
    from rich.table import Table  # the commands' module imports stay cheap for --help

    from .._serde import to_dict

    table = Table(*columns, title=title, title_justify="left")
    count = 0
    # A blocking file in an async function: the CLI's own output, nothing else on its loop.
    opened = open(csv_path, "w", newline="", encoding="utf-8") if csv_path else None  # noqa: ASYNC230, SIM115
    with opened if opened is not None else contextlib.nullcontext() as file:
        writer = None
        if file is not None and model is not None:
            writer = _csv_writer(file, [a.name for a in attrs.fields(model)])
        async for row in rows:
            values = to_dict(row)
            if file is not None:
                if writer is None:
                    writer = _csv_writer(file, list(values))
                writer.writerow({k: _cell(v) for k, v in values.items()})
            if output.json:
                output.emit(values)
            elif tabled:
                table.add_row(*(_cell(values[c]) for c in columns))
            count += 1
    if tabled and not output.json:
        output.out.print(table if count else f"{title}: none.")
    if csv_path is not None:
        output.note(f"{count} rows written to {csv_path}", whole=True)
    return count


def _csv_writer(file: IO[str], fields: list[str]) -> csv.DictWriter[str]:
    writer = csv.DictWriter(file, fieldnames=fields)
    writer.writeheader()
    return writer


async def _each(items: Iterable[T]) -> AsyncIterator[T]:
    """A list as an async iterable, for `print_rows`."""
    for item in items:
        yield item
