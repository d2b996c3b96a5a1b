"""CSV rows to bulk message specs: columns name fields, options fill them, templates render."""

from __future__ import annotations

import csv
import json
import os
import string
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import click
from attrs import frozen

from .._bulk import EmailMessage, NewContact, SmsMessage, describe_eta
from .._client import AsyncEasify
from .._rate_limits import RateLimit, RateLimits
from ..errors import ArgumentError

__all__ = ["BulkKind", "RowMapper", "Spec", "Template", "count_rows", "read_header", "read_rows"]

Spec = SmsMessage | EmailMessage | NewContact

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


@frozen
class BulkKind:
    """What differs between SMS, email and contact bulk runs."""

    noun: str  # "SMS", "emails": for ETA lines and titles
    one: str  # "SMS", "email": the noun for one row
    make: Callable[..., Spec]  # SmsMessage, EmailMessage or NewContact
    required: tuple[str, ...]  # fields every row must have
    optional: tuple[str, ...]
    flags: tuple[str, ...]  # boolean fields, "1"/"true"/"yes" in a cell
    json_fields: tuple[str, ...]  # cells holding a JSON object
    validate: Callable[..., object]  # the send's own checks, raising ArgumentError
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

    def render(self, field: str, row: Mapping[str, str]) -> str:
        """The template filled with ``row``'s cells; a bad format spec fails the row."""
        try:
            return self.text.format_map(row)
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
        return row[self.key_column].strip() or f"row {number}"

    def spec(self, number: int, row: Mapping[str, str]) -> Spec:
        """The row's message spec; `ArgumentError` when a cell cannot be a field."""
        if self.key_column is not None and not row[self.key_column].strip():
            raise ArgumentError("key", f"the key column {self.key_column!r} is empty")
        fields: dict[str, Any] = {}
        for name in self.kind.fields:
            if name in self.templates:
                fields[name] = self.templates[name].render(name, row)
            elif name in self.fixed:
                fields[name] = self.fixed[name]
            elif row.get(name, "").strip():
                fields[name] = self._cell(name, row[name].strip())
            elif name in self.kind.required:
                raise ArgumentError(name, "missing: the row's cell is empty")
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


def read_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    """The file's data rows, streamed; a short row's missing cells read as empty."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        for row in csv.DictReader(file, restval=""):
            # Cells past the header (DictReader's None key) name no field: drop them.
            yield {k: v for k, v in row.items() if isinstance(k, str)}


def read_header(path: str | os.PathLike[str]) -> list[str]:
    """The column names of the file's first line."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        return next(csv.reader(file), [])


def count_rows(path: str | os.PathLike[str]) -> int:
    """How many data rows the file holds (one streaming pass, quoted newlines allowed)."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        # Blank lines are no rows, as for DictReader.
        return max(sum(1 for row in csv.reader(file) if row) - 1, 0)
