"""The raw replies of successful calls, captured beside their parsed results.

``with easify.raw_responses() as raw:`` (``async with`` on `AsyncEasify`) records the
reply of every call made inside the block as a `RawResponse`: status, headers (the
rate-limit ones: ``X-RateLimit-Remaining``, ``Retry-After``), the body as received, the
route and the time taken. No second request is made: the reply the call parsed is kept.

Why a context manager and not openai's ``client.with_raw_response.sms.send(...)``: a
second tree of 32 methods returning another type would double the surface (and the
generated blocking one), and would not reach the pages of a walk or the sends of a
bulk run. A context variable read on the one request path (`HttpCore`) reaches every
call, pages included, costs one ``ContextVar.get`` per call when nothing captures, and
keeps every method's return type as it is. Being a context variable, it captures the
calls of this task and of the tasks it starts inside the block (a bulk run's workers),
not those of other tasks; the blocking client's calls run on its loop thread in a copy
of the calling thread's context, so the same ``with`` works there.

The request is not kept: its ``Authorization`` header holds the token.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, final

from attrs import define, field, frozen

if TYPE_CHECKING:
    import httpx

    from ._routes import AnyRoute

__all__ = ["CAPTURE", "RawResponse", "RawResponses", "raw_response"]


@final
class _Headers(Mapping[str, str]):
    """A reply's headers, read-only, looked up in any case (``headers["retry-after"]``).

    A header sent several times is one value, joined by ``", "`` (as httpx does); names
    iterate in lower case.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {name.lower(): value for name, value in items.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@frozen
class RawResponse:
    """The reply to one call, as received.

    Attributes:
        status: the HTTP status code.
        headers: the reply's headers, read-only, looked up in any case:
            ``headers.get("X-RateLimit-Remaining")``.
        body: the body's bytes as received (its ``repr`` gives only the length).
        route: the call's method and path template, e.g. ``"POST sms/send"``.
        elapsed: from sending the request to reading the reply, the transport's
            retries and rate-limit waits included.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=lambda body: f"<{len(body)} bytes>")
    route: str
    elapsed: datetime.timedelta


def raw_response(route: AnyRoute, response: httpx.Response, seconds: float) -> RawResponse:
    """``response`` (read) to ``route`` after ``seconds``, without its request."""
    return RawResponse(
        response.status_code,
        _Headers(response.headers),
        response.content,
        f"{route.method} {route.path}",
        datetime.timedelta(seconds=seconds),
    )


@define(eq=False)  # a live object: equal only to itself
class RawResponses:
    """The replies of the calls made inside ``with``/``async with`` it, in order.

    Made by `AsyncEasify.raw_responses` (and `Easify.raw_responses`). Blocks nest: a
    call inside both is recorded by both. Each call is recorded once, with the reply it
    parsed (after the transport's retries); a page of a walk is a call. A call that
    raises an `APIError` is recorded too, with the reply the error carries as
    ``.response``.

    Examples:
        >>> async with easify.raw_responses() as raw:  # doctest: +SKIP
        ...     sent = await easify.sms.send("3152930000", "+13151350000", message="Hi")
        >>> raw.last.headers["X-RateLimit-Remaining"]  # doctest: +SKIP
        '59'
    """

    _replies: list[RawResponse] = field(factory=list, init=False, repr=False)
    _outer: RawResponses | None = field(default=None, init=False, repr=False)
    _token: contextvars.Token[RawResponses | None] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def all(self) -> tuple[RawResponse, ...]:
        """Every reply recorded so far, oldest first."""
        return tuple(self._replies)

    @property
    def last(self) -> RawResponse:
        """The latest reply recorded.

        Raises:
            LookupError: no call has been made inside the block yet.
        """
        if not self._replies:
            raise LookupError("no reply recorded: no call was made inside the block yet")
        return self._replies[-1]

    def record(self, reply: RawResponse) -> None:
        """Add ``reply`` here and in the blocks this one is inside."""
        collector: RawResponses | None = self
        while collector is not None:
            collector._replies.append(reply)
            collector = collector._outer

    def __enter__(self) -> RawResponses:
        if self._token is not None:
            raise RuntimeError("this raw_responses() block is already entered")
        self._outer = CAPTURE.get()
        self._token = CAPTURE.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            CAPTURE.reset(self._token)
            self._token = None

    async def __aenter__(self) -> RawResponses:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    def __repr__(self) -> str:
        return f"<RawResponses: {len(self._replies)} recorded>"


#: The innermost `RawResponses` block of this context, if any (`HttpCore` reads it).
CAPTURE: contextvars.ContextVar[RawResponses | None] = contextvars.ContextVar(
    "easify_raw_responses", default=None
)
