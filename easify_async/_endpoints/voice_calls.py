"""``easify.voice_calls``: the account's call history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from attrs import field, frozen

from .._http import HttpCore
from .._models.calls import VoiceCall
from .._options import ReadOptions, Unpack
from .._pagination import AsyncPaginator
from .._requests import VoiceCallQuery
from .._routes import VOICE_CALL_HISTORY
from .._validation import split_phone_number
from ..errors import ArgumentError
from ._arguments import Order, api_date, order_value

__all__ = ["MAX_TO_NUMBERS", "VoiceCalls"]

#: The most numbers ``to`` may hold (the docs' limit).
MAX_TO_NUMBERS = 100


@frozen
class VoiceCalls:
    """Voice-call calls; reach it as ``easify.voice_calls``."""

    _http: HttpCore = field(repr=False)

    def history(
        self,
        *,
        from_number: str | None = None,
        to: Sequence[str] | None = None,
        from_date: dt.date | str | None = None,
        to_date: dt.date | str | None = None,
        public_call: bool | None = None,
        include_subusers: bool | None = None,
        order: Order = "desc",
        limit: int | None = None,
        **options: Unpack[ReadOptions],
    ) -> AsyncPaginator[VoiceCall]:
        """The account's calls, page by page, filtered as asked.

        Args:
            from_number: only calls from this number (the API's ``from``, a Python
                keyword): E.164, or a national ``+1`` number.
            to: only calls to these numbers (1 to 100), each E.164 or national ``+1``.
            from_date: the first day, a `datetime.date` or ``"YYYY-MM-DD"``.
            to_date: the last day; not before ``from_date``.
            public_call: ``True`` for only the public call records. ``False`` goes as
                ``0``, which the docs give no meaning: read as "no filter" (Laravel's
                usual ``when``, and the sandbox), it lists every call, not the others.
            include_subusers: the main user only: also its sub-users' calls.
            order: ``"desc"`` (newest first, the API's default) or ``"asc"``.
            limit: the page size (100 by default).

        Raises:
            ArgumentError: at the call, before any request.

        Examples:
            >>> calls = easify.voice_calls.history(from_date="2026-11-01")  # doctest: +SKIP
            >>> async for call in calls:  # doctest: +SKIP
            ...     print(call.id, call.from_number, call.to_number, call.status)
        """
        start = None if from_date is None else api_date("from_date", from_date)
        end = None if to_date is None else api_date("to_date", to_date)
        if start is not None and end is not None and start > end:
            raise ArgumentError("from_date", f"{start} is after to_date {end}")
        query = VoiceCallQuery(
            from_number=None if from_number is None else _e164("from_number", from_number),
            to=None if to is None else _to_numbers(to),
            from_date=None if start is None else start.isoformat(),
            to_date=None if end is None else end.isoformat(),
            public_call=_flag("public_call", public_call),
            include_subusers=_flag("include_subusers", include_subusers),
            order=order_value(order),
        )
        return self._http.paginate(VOICE_CALL_HISTORY, query, limit=limit, options=options)


def _e164(argument: str, number: str) -> str:
    # The docs' sample sends E.164; a national number is taken as +1, as campaigns do.
    given = number.strip() if isinstance(number, str) else number
    code = None if isinstance(given, str) and given.startswith(("+", "00")) else "+1"
    country, national = split_phone_number(argument, given, code)
    return f"{country}{national}"


def _to_numbers(values: Sequence[str]) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ArgumentError("to", f"expected a list of numbers, got {values!r:.60}")
    if not values:
        raise ArgumentError("to", "an empty list: give at least one number, or None")
    if len(values) > MAX_TO_NUMBERS:
        raise ArgumentError("to", f"holds {len(values)} numbers, at most {MAX_TO_NUMBERS}")
    return [_e164(f"to[{index}]", value) for index, value in enumerate(values)]


def _flag(argument: str, value: bool | None) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ArgumentError(argument, f"expected True, False or None, got {value!r}")
    return value
