"""A campaign's recipients file, as the sandbox reads it (``POST sms/campaign/send``).

Read from §3.6 (the docs link a sample file whose columns were not captured; what the
sandbox had to guess is marked so):

- the type is judged by content, not by the file's name: UTF-8 text without NUL bytes;
  anything else, or an empty file, is the ``mimes:csv`` 422;
- the header row names the number column (guess: one of `NUMBER_COLUMNS`, any case);
  a header without one is a 422. Guess: a file whose first cell is itself a number has
  no header, and its first column holds the numbers;
- the other columns fill the templates' ``{column}`` placeholders (guess: that syntax);
- a row is valid when its number is plausible in a served country (E.164, or 10 or
  11 digits for US/Canada), not blacklisted, not on the invalid list and not a
  duplicate of an earlier row. The endpoint (``_api_campaigns``) answers a file with no
  valid row with a 400, and more than 10,000 rows with a 422.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection

from attrs import frozen

from ._phones import COUNTRY_CODES, recipient_number

__all__ = ["NUMBER_COLUMNS", "RecipientsFile"]

#: Header names of the number column (compared lowercased, spaces and dashes as ``_``).
NUMBER_COLUMNS = ("phone_number", "phone", "number", "mobile", "to_number", "receiver")


@frozen
class RecipientsFile:
    """A recipients CSV as the sandbox reads it (see the module's docstring)."""

    rows: list[dict[str, str]] | None  # None: not a CSV by its content
    number_column: str | None

    @classmethod
    def read(cls, content: bytes) -> RecipientsFile:
        try:
            decoded = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return cls(None, None)
        if "\0" in decoded or not decoded.strip():
            return cls(None, None)  # binary, or empty: finfo names no csv type
        rows = [r for r in csv.reader(io.StringIO(decoded)) if any(c.strip() for c in r)]
        if not rows:
            return cls(None, None)
        header = [_column(c) for c in rows[0]]
        column = next((c for c in header if c in NUMBER_COLUMNS), None)
        if column is not None:
            return cls(
                [
                    dict(zip(header, r, strict=False))  # a short row leaves cells out
                    for r in rows[1:]
                ],
                column,
            )
        if _number_like(rows[0][0]):  # no header: the numbers are the first column
            return cls([{"phone_number": r[0]} for r in rows], "phone_number")
        return cls([], None)

    def recipients(self, refused: Collection[str]) -> tuple[int, list[str], list[dict[str, str]]]:
        """(rows in the file, valid recipients in E.164, each one's row): a number that
        is implausible, ``refused`` (blacklisted, invalid) or seen before is invalid."""
        rows = self.rows or []
        seen: set[str] = set()
        valid: list[str] = []
        values: list[dict[str, str]] = []
        for row in rows:
            number = _e164(row.get(self.number_column or "", ""))
            if number is None or number in seen or number in refused:
                continue
            seen.add(number)
            valid.append(number)
            values.append(row)
        return len(rows), valid, values


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _number_like(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell) and not any(ch.isalpha() for ch in cell)


def _e164(cell: str) -> str | None:
    """A plausible number in a served country, in E.164; 10 digits are US/Canada."""
    number = cell.strip()
    if number.startswith("+"):
        code = next((c for c in sorted(COUNTRY_CODES, key=len, reverse=True)
                     if number.startswith(c)), None)  # fmt: skip
        national = recipient_number(number[len(code) :], code) if code else None
        return f"{code}{national}" if national else None
    digits = re.sub(r"[\s().\-]", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    national = recipient_number(digits, "+1")
    return f"+1{national}" if national else None
