"""The options every call takes besides its own arguments, as openai-python's calls do.

One definition for all calls: `RequestOptions` (`ReadOptions` for a call with a query,
`WaitOptions` for a wait, whose ``timeout`` is the whole wait's), typed for each call's
``**options`` with PEP 692's ``Unpack``. A type checker knows every name and type, the
methods do not repeat four parameters each, and the request path (`HttpCore`) is the one
place that applies them. An option changes its call only; the rate-limit budget stays
the token's.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import TypedDict

import httpx
from attrs import field, frozen

from ._headers import Headers, check_headers
from .errors import ArgumentError

if sys.version_info >= (3, 11):
    from typing import Unpack
else:  # a dependency there (pyproject), part of typing from 3.11
    from typing_extensions import Unpack

__all__ = [
    "CallOptions",
    "ReadOptions",
    "RequestOptions",
    "Unpack",
    "WaitOptions",
    "call_options",
    "check_max_retries",
    "check_timeout",
]


class RequestOptions(TypedDict, total=False):
    """Options of one call, given as keyword arguments after its own.

    Each changes that call only (its retries included); the client's settings
    (`AsyncEasify.with_options` changes them for every call of a new client) apply to
    the rest. The rate-limit budget stays the token's: an option never buys a call a
    slot it would not have had.

    Attributes:
        timeout: seconds, or an ``httpx.Timeout``, for each attempt of this call.
        max_retries: retries of this call, 0 for none.
        extra_headers: headers sent with this call, over the client's extra headers
            (``Authorization`` may not be one: the token is the client's).

    Examples:
        >>> await easify.sms.send(  # doctest: +SKIP
        ...     "3152930000", "+13151350000", message="Hi",
        ...     timeout=5, max_retries=0, extra_headers={"X-Request-Id": "r-1"},
        ... )
    """

    timeout: float | httpx.Timeout
    max_retries: int
    extra_headers: Mapping[str, str]


class ReadOptions(RequestOptions, total=False):
    """`RequestOptions`, and a query to add, for the calls that read (``GET``).

    Attributes:
        extra_query: fields added to the call's query string; one the call sets
            itself (``page``, ``limit``, its arguments) is an `ArgumentError`.

    Examples:
        >>> info = await easify.sms.status(31529, extra_query={"debug": "1"})  # doctest: +SKIP
    """

    extra_query: Mapping[str, str | int]


class WaitOptions(TypedDict, total=False):
    """The options of each status read of a wait (``sms.wait_for_final_status``,
    ``campaigns.wait_for_completion``): `ReadOptions` but ``timeout``, which is the
    wait's own argument (the whole wait); each read keeps the client's timeout.

    Attributes:
        max_retries: retries of each read, 0 for none.
        extra_headers: headers sent with each read.
        extra_query: fields added to each read's query string.
    """

    # Written again rather than inherited: a TypedDict cannot drop `timeout`, and the
    # reference lists a class's own attributes.
    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, str | int]


@frozen
class CallOptions:
    """`RequestOptions` checked: what `HttpCore` applies to one call."""

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    #: Out of the repr (a traceback's locals): a value may be a proxy's key.
    headers: Headers = field(default=(), repr=False)
    query: tuple[tuple[str, str | int], ...] = ()


_REQUEST = frozenset(RequestOptions.__annotations__)
_READ = frozenset(ReadOptions.__annotations__) | _REQUEST


def call_options(options: Mapping[str, object], *, reads: bool) -> CallOptions:
    """``options`` checked, before any request or slot is spent.

    Raises:
        TypeError: a name that is not an option of this call (as Python would raise for
            a keyword the call lacks: ``extra_query`` for a call that does not read).
        ArgumentError: a value the option cannot take, naming the option.
    """
    unknown = sorted(set(options) - (_READ if reads else _REQUEST))
    if unknown:
        raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
    timeout = options.get("timeout")
    max_retries = options.get("max_retries")
    headers = options.get("extra_headers")
    query = options.get("extra_query")
    return CallOptions(
        timeout=None if timeout is None else check_timeout("timeout", timeout),
        max_retries=None if max_retries is None else check_max_retries(max_retries),
        headers=() if headers is None else check_headers(headers, "extra_headers"),
        query=() if query is None else _check_query(query),
    )


def check_timeout(argument: str, value: object) -> float | httpx.Timeout:
    """``value`` if it is seconds above 0, or an ``httpx.Timeout`` whose set parts are.

    Raises:
        ArgumentError: it is neither.
    """
    parts = (
        (value.connect, value.read, value.write, value.pool)
        if isinstance(value, httpx.Timeout)
        else (value,)
    )
    for part in parts:
        if part is None and isinstance(value, httpx.Timeout):
            continue  # a phase left unbounded on purpose
        if (
            isinstance(part, bool)
            or not isinstance(part, (int, float))
            or not math.isfinite(part)
            or part <= 0
        ):
            raise ArgumentError(
                argument, f"must be a finite number of seconds above 0, not {part!r}"
            )
    if isinstance(value, httpx.Timeout):
        return value
    assert isinstance(value, (int, float))  # checked above
    return float(value)


def check_max_retries(value: object) -> int:
    """``value`` if it is an int, 0 or more.

    Raises:
        ArgumentError: it is not.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArgumentError("max_retries", f"must be an integer, 0 or more, not {value!r}")
    return value


def _check_query(value: object) -> tuple[tuple[str, str | int], ...]:
    if not isinstance(value, Mapping):
        raise ArgumentError(
            "extra_query", f"expected a mapping of names to values, got {type(value).__name__}"
        )
    fields: list[tuple[str, str | int]] = []
    for name, item in value.items():
        if not isinstance(name, str) or not name:
            raise ArgumentError("extra_query", f"{name!r} is not a field name")
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ArgumentError(
                "extra_query",
                f"the value of {name!r} must be a string or an int, got {type(item).__name__}",
            )
        fields.append((name, item))
    return tuple(fields)
