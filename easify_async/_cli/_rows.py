"""CSV rows to bulk message specs: columns name fields, options fill them, templates render."""

from __future__ import annotations

import collections.abc
import csv
import json
import string
import sys
import types
import typing
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import IO, Any

import attrs
import click
from attrs import frozen
from rich.text import Text

from .._bulk import BulkResult, EmailMessage, NewContact, SmsMessage, describe_eta
from .._client import AsyncEasify
from .._rate_limits import RateLimit, RateLimits
from ..errors import ArgumentError
from ._output import Output, plural

__all__ = [
    "BulkKind",
    "CsvFile",
    "RowMapper",
    "Spec",
    "Template",
    "count_rows",
    "read_header",
    "read_rows",
]

Spec = SmsMessage | EmailMessage | NewContact

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


@frozen
class BulkKind:
    """What differs between SMS, email and contact bulk runs.

    The columns and the id come from the bulk models: build one with `BulkKind.of`.
    """

    noun: str  # "SMS", "emails": for ETA lines and titles
    one: str  # "SMS", "email": the noun for one row
    make: Callable[..., Spec]  # SmsMessage, EmailMessage or NewContact
    required: tuple[str, ...]  # fields every row must have
    optional: tuple[str, ...]
    flags: tuple[str, ...]  # boolean fields, "1"/"true"/"yes" in a cell
    json_fields: tuple[str, ...]  # cells holding a JSON object
    validate: Callable[[Any], object]  # the send's encoder (its checks: ArgumentError)
    id_name: str  # "sms_id", "email_id", "contact_id"
    rate: Callable[[RateLimits], RateLimit]
    send_many: Callable[[AsyncEasify], Callable[..., AsyncIterator[Any]]]
    integers: tuple[str, ...] = ()  # cells holding a whole number (a contact's group_id)
    verb: str = "sent"  # what a row's success reads as for people: "created" for contacts

    def eta(self, count: int, rate: RateLimit, margin: float) -> str:
        """`describe_eta` of ``count`` rows: "1 email at 15/min: ...", "2 emails ..."."""
        return describe_eta(count, rate, noun=self.one if count == 1 else self.noun, margin=margin)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field a column or an option can give."""
        return self.required + self.optional

    @classmethod
    def of(
        cls,
        item: type[Spec],
        result: type[BulkResult],
        *,
        noun: str,
        one: str,
        validate: Callable[[Any], object],
        rate: Callable[[RateLimits], RateLimit],
        send_many: Callable[[AsyncEasify], Callable[..., AsyncIterator[Any]]],
        verb: str = "sent",
    ) -> BulkKind:
        """The kind of ``item`` rows, whose results are ``result``s.

        A column per field of ``item`` (``key`` aside: --key-column gives it), required
        when it has no default; its type says how a cell reads (bool: a flag, int but not
        str: a whole number, a mapping: a JSON object, else the text as it is). The id is
        the one field ``result`` adds to `BulkResult` besides its ``item``. ``validate``
        is the call's encoder, given the row's item.
        """
        fields = [f for f in attrs.fields(item) if f.name != "key"]
        scope = vars(sys.modules[item.__module__])

        plain = {f.name: _plain_types(f.type, scope) for f in fields}

        def typed(*kinds: type, unless: type | None = None) -> tuple[str, ...]:
            return tuple(
                name
                for name, types_ in plain.items()
                if any(k in types_ for k in kinds) and unless not in types_
            )

        shared = {f.name for f in attrs.fields(BulkResult)} | {"item"}
        (id_name,) = (f.name for f in attrs.fields(result) if f.name not in shared)
        return cls(
            noun=noun,
            one=one,
            make=item,
            required=tuple(f.name for f in fields if f.default is attrs.NOTHING),
            optional=tuple(f.name for f in fields if f.default is not attrs.NOTHING),
            flags=typed(bool),
            json_fields=typed(dict, collections.abc.Mapping),
            validate=validate,
            id_name=id_name,
            rate=rate,
            send_many=send_many,
            integers=typed(int, unless=str),  # lead_id takes an int, its cell stays text
            verb=verb,
        )


def _plain_types(hint: Any, scope: dict[str, Any]) -> tuple[Any, ...]:
    """The classes a field's type allows: ``Mapping[str, Any] | None`` -> ``(Mapping,
    NoneType)``."""
    if isinstance(hint, str):
        # The field's own annotation, in its module: not `typing.get_type_hints`, which
        # also evaluates what aliases quote (FileInput's "os.PathLike[str]") and fails.
        hint = eval(hint, scope)  # an annotation of the SDK's own models
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return tuple(typing.get_origin(h) or h for h in (typing.get_args(hint) if union else (hint,)))


@frozen
class Template:
    """A ``str.format`` template over a row's columns: ``"Hi {first_name}"``."""

    text: str
    columns: frozenset[str]

    @classmethod
    def parse(cls, option: str, text: str) -> Template:
        """The template, or a usage error for ``{}``, ``{0}``, ``{a.b}`` or ``{a[0]}``."""
        columns = set()
        try:
            for _, name, _, _ in string.Formatter().parse(text):
                if name is None:
                    continue
                if not name or name.isdigit() or any(c in name for c in ".["):
                    raise click.BadParameter(
                        f"{{{name}}} is not a column name (write {{{{ and }}}} for braces)",
                        param_hint=option,
                    )
                columns.add(name)
        except ValueError as exc:  # unbalanced braces
            raise click.BadParameter(str(exc), param_hint=option) from None
        return cls(text, frozenset(columns))

    def render(self, field: str, number: int, row: Mapping[str, str]) -> str:
        """The template filled with ``row``'s cells; a bad format spec fails the row."""
        try:
            return self.text.format_map(row)
        except KeyError as exc:  # a short row: `check_header` saw the column
            raise ArgumentError(field, f"template: {_short(number, row, exc.args[0])}") from None
        except ValueError as exc:
            raise ArgumentError(field, f"template: {exc}") from None


@frozen
class RowMapper:
    """Turns one CSV row into a message spec.

    A column named like a field gives that field per row; an option gives it for every
    row and wins over the column; a template (``--message "Hi {first_name}"``) is
    rendered from the row's columns.
    """

    kind: BulkKind
    fixed: Mapping[str, Any]  # option values, for every row
    templates: Mapping[str, Template]
    key_column: str | None

    def check_header(self, header: list[str]) -> None:
        """Usage errors, before anything is sent, for columns the options need."""
        given = set(header) | set(self.fixed) | set(self.templates)
        missing = [f for f in self.kind.required if f not in given]
        if missing:
            raise click.UsageError(
                f"no column or option gives {', '.join(missing)} (columns: {', '.join(header)})"
            )
        for option, template in self.templates.items():
            unknown = sorted(template.columns - set(header))
            if unknown:
                raise click.BadParameter(
                    f"no column named {', '.join(unknown)}", param_hint=f"--{option}"
                )
        if self.key_column is not None and self.key_column not in header:
            raise click.BadParameter(
                f"no column named {self.key_column}", param_hint="--key-column"
            )

    def key(self, number: int, row: Mapping[str, str]) -> str:
        """The row's key: its key column, else its row number (1 is the first data row)."""
        if self.key_column is None:
            return str(number)
        return row.get(self.key_column, "").strip() or f"row {number}"

    def spec(self, number: int, row: Mapping[str, str]) -> Spec:
        """The row's message spec; `ArgumentError` when a cell cannot be a field."""
        if self.key_column is not None and not row.get(self.key_column, "").strip():
            column = self.key_column
            empty = f"row {number}'s {column} cell is empty"
            why = empty if column in row else _short(number, row, column)
            raise ArgumentError("key", f"{why} (--key-column)")
        fields: dict[str, Any] = {}
        for name in self.kind.fields:
            if name in self.templates:
                fields[name] = self.templates[name].render(name, number, row)
            elif name in self.fixed:
                fields[name] = self.fixed[name]
            elif row.get(name, "").strip():
                fields[name] = self._cell(name, row[name].strip())
            elif name in self.kind.required:
                empty = f"row {number}'s {name} cell is empty"
                raise ArgumentError(name, empty if name in row else _short(number, row, name))
        return self.kind.make(key=self.key(number, row), **fields)

    def _cell(self, name: str, text: str) -> Any:
        if name in self.kind.flags:
            if text.lower() not in _TRUE | _FALSE:
                raise ArgumentError(name, f"{text!r} is not a yes/no value (1, 0, true, false)")
            return text.lower() in _TRUE
        if name in self.kind.json_fields:
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            if not isinstance(value, dict):
                raise ArgumentError(name, f"{text!r} is not a JSON object")
            return value
        if name in self.kind.integers:
            if not text.isdigit():
                raise ArgumentError(name, f"{text!r} is not a whole number")
            return int(text)
        return text


def _short(number: int, row: Mapping[str, str], column: str) -> str:
    """Why a short row has no ``column`` cell."""
    return f"row {number} ends before its {column} cell (it has {plural(len(row), 'cell')})"


@frozen
class CsvFile:
    """The FILE of a bulk command and its ``--encoding``; a path (``os.fspath``) too."""

    path: str
    encoding: str = "utf-8-sig"  # a UTF-8 BOM, as Excel writes, is no part of a column name

    def __fspath__(self) -> str:
        return self.path

    def open(self) -> IO[str]:
        """The file for `csv.reader` (its own newline handling: quoted line breaks)."""
        return open(self.path, newline="", encoding=self.encoding)


def read_rows(file: CsvFile) -> Iterator[dict[str, str]]:
    """The file's data rows, streamed: column name -> cell.

    A short row has no entry for the columns it lacks (`RowMapper.spec` says which cell
    is missing, rather than calling it empty); cells past the header name no column and
    are left out (`count_rows` warns of them).
    """
    with file.open() as opened:
        reader = csv.reader(opened)
        header = next(reader, [])
        for cells in reader:
            if cells:  # a blank line is no row, as for csv.DictReader
                yield dict(zip(header, cells, strict=False))  # short and long rows alike


def read_header(file: CsvFile) -> list[str]:
    """The column names of the file's first line."""
    with file.open() as opened:
        return next(csv.reader(opened), [])


_LISTED_ROWS = 5  # rows named in the warning about ignored cells


def count_rows(file: CsvFile, output: Output) -> int:
    """How many data rows the file holds (one streaming pass, quoted newlines allowed).

    Rows with cells past the header are named in one warning on stderr, before anything
    is sent: those cells are ignored.
    """
    with file.open() as opened:
        reader = csv.reader(opened)
        width = len(next(reader, []))
        count = 0
        longer: list[int] = []
        for cells in reader:
            if not cells:  # blank lines are no rows, as for DictReader
                continue
            count += 1
            if len(cells) > width:
                longer.append(count)
    if longer:
        listed = ", ".join(map(str, longer[:_LISTED_ROWS]))
        more = f" and {len(longer) - _LISTED_ROWS:,} more" if len(longer) > _LISTED_ROWS else ""
        output.note(
            Text(
                f"warning: {plural(len(longer), 'row')} {'has' if len(longer) == 1 else 'have'}"
                f" more cells than the header's {plural(width, 'column')}; the cells past it"
                f" are ignored (row {listed}{more})",
                style="yellow",
            ),
            whole=True,
        )
    return count
