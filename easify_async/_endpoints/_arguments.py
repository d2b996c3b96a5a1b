"""Argument checks of the list, number and campaign calls, done before any request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Literal

from .._validation import split_phone_number
from ..errors import ArgumentError
from ..models import SmsStatus

__all__ = [
    "MAX_REPORT_DAYS",
    "Order",
    "api_date",
    "date_chunks",
    "from_numbers",
    "order_value",
    "positive_id",
    "positive_ids",
    "report_status",
    "web_url",
]

Order = Literal["asc", "desc"]

#: The most days one ``sms/report`` query may cover, both ends included. The docs say
#: "max 30 days"; counting both ends keeps inside either reading of that.
MAX_REPORT_DAYS = 30
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


def api_date(argument: str, value: dt.date | str) -> dt.date:
    """A `datetime.date` from a date or ``"YYYY-MM-DD"`` (a datetime is refused)."""
    if isinstance(value, dt.datetime):
        raise ArgumentError(argument, "expected a date, not a datetime (use .date())")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ArgumentError(argument, f"expected a date or 'YYYY-MM-DD', got {value!r}")


def date_chunks(
    start: dt.date, end: dt.date, *, newest_first: bool
) -> list[tuple[dt.date, dt.date]]:
    """``[start, end]`` cut into consecutive ranges of at most `MAX_REPORT_DAYS` days.

    Ordered oldest first, or newest first (so that a ``desc`` report stays in order).
    """
    chunks = []
    first = start
    while True:
        # Counted as days left, never as a date past `end`: 9999-12-31 has no day after.
        last = first + dt.timedelta(days=min(MAX_REPORT_DAYS - 1, (end - first).days))
        chunks.append((first, last))
        if last == end:
            break
        first = last + dt.timedelta(days=1)
    return chunks[::-1] if newest_first else chunks


def order_value(order: str) -> Order:
    """``"asc"`` or ``"desc"``."""
    if order == "asc":
        return "asc"
    if order == "desc":
        return "desc"
    raise ArgumentError("order", f"must be 'asc' or 'desc', got {order!r}")


def positive_id(argument: str, value: int | str) -> int:
    """An id the API types as an integer: a positive int (a digit string is accepted)."""
    # ASCII digits only: "²" is a digit to `isdigit` and no number to `int`.
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(argument, f"must be a positive integer id, got {value!r}")
    return value


def positive_ids(argument: str, values: Sequence[int]) -> list[int]:
    """A non-empty list of ids."""
    if isinstance(values, (str, bytes, int)) or not isinstance(values, Sequence):
        raise ArgumentError(argument, "expected a list of ids")
    if not values:
        raise ArgumentError(argument, "must not be empty")
    return [positive_id(f"{argument}[{index}]", value) for index, value in enumerate(values)]


def from_numbers(values: Sequence[str]) -> list[str]:
    """Campaign senders in E.164 (the form the docs' sample sends); national ``+1``
    numbers are accepted and given their ``+1``."""
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ArgumentError("from_numbers", "expected a list of numbers")
    if not values:
        raise ArgumentError("from_numbers", "must not be empty")
    numbers = []
    for index, value in enumerate(values):
        argument = f"from_numbers[{index}]"
        given = value.strip() if isinstance(value, str) else value
        code = None if isinstance(given, str) and given.startswith("+") else "+1"
        country, national = split_phone_number(argument, given, code)
        numbers.append(f"{country}{national}")
    return numbers


def report_status(status: SmsStatus | str | None) -> str | None:
    """One of the statuses the report filters by, as its text."""
    if status is None:
        return None
    member = SmsStatus(status) if isinstance(status, str) else None
    if member is None or not member.is_known:
        known = ", ".join(s.value for s in SmsStatus)
        raise ArgumentError("status", f"must be one of {known}, got {status!r}")
    return member.value


def web_url(argument: str, value: str) -> str:
    """An ``http(s)://`` URL."""
    if not isinstance(value, str) or not _URL.fullmatch(value.strip()):
        raise ArgumentError(argument, f"expected an http(s) URL, got {value!r}")
    return value.strip()
