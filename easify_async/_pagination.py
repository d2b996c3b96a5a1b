"""Pagination, once for every list: `AsyncPaginator` walks pages, `Page` is one of them.

Pages are followed by ``meta.current_page`` / ``meta.last_page``, never by the
``links`` URLs (the docs' samples are broken there, and they drop the filters). A list
may be walked as several consecutive queries (``sms.report`` splits long date ranges):
the paginator goes through every page of the first query, then the next.
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from typing import Any, Generic, TypeVar

from attrs import define, field, frozen

__all__ = [
    "ITERATION_PAGE_SIZE",
    "AsyncPaginator",
    "Page",
    "PageFetch",
    "PageMeta",
    "detached_page",
]

T = TypeVar("T")

#: The page size asked for when the caller gives no ``limit``. 100, not the API's 10: a
#: 10,000-record walk is ~100 calls (under two minutes of a 60/min budget) instead of
#: 1,000, while a page stays small (~30 KB of JSON) and within the ``per_page`` caps
#: Laravel APIs commonly set. A server that caps lower is still walked correctly, since
#: pages are followed by ``meta``.
ITERATION_PAGE_SIZE = 100


@frozen
class PageMeta:
    """The pagination facts of one reply (Laravel's ``meta``, or an unpaginated list)."""

    current_page: int
    last_page: int
    per_page: int
    total: int


#: Fetch page ``page`` of ``query`` (the query's API fields): its items and its meta.
PageFetch = Callable[[Mapping[str, Any], int], Awaitable[tuple[list[T], PageMeta]]]


@define
class _Walk(Generic[T]):
    """What every page of one paginator shares: how to fetch, and the queries in order."""

    fetch: PageFetch[T]
    queries: Sequence[Mapping[str, Any]]

    async def page(self, query_index: int, number: int) -> Page[T]:
        items, meta = await self.fetch(self.queries[query_index], number)
        return Page(
            items=items,
            current_page=meta.current_page,
            last_page=meta.last_page,
            per_page=meta.per_page,
            total=meta.total,
            walk=self,
            query_index=query_index,
        )


@define
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the page's items.
        current_page: its number, from 1.
        last_page: the number of the last page of its query.
        per_page: the page size the server used.
        total: the number of items in all pages of its query. When a list is walked
            as several queries (``sms.report`` over more than 30 days), ``total`` and
            ``last_page`` are those of the current query.

    ``len(page)`` is its number of items and iterating it gives them, as for ``items``
    (so an empty page is false). ``easify_async.to_dict(page)`` turns it into data.

    Examples:
        >>> page = await easify.sms.templates(limit=20)  # doctest: +SKIP
        >>> while page.has_next_page():  # doctest: +SKIP
        ...     page = await page.next_page()
        ...     print(len(page), [template.name for template in page])
    """

    items: list[T]
    current_page: int
    last_page: int
    per_page: int
    total: int
    _walk: _Walk[T] = field(repr=False, eq=False)
    _query_index: int = field(default=0, repr=False, eq=False)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def has_next_page(self) -> bool:
        """Whether another page (of this query, or the next query) follows."""
        return self._has_next_in_query() or self._query_index + 1 < len(self._walk.queries)

    async def next_page(self) -> Page[T]:
        """Fetch the next page, through the endpoint's rate limit.

        Raises:
            ValueError: there is no next page (check `has_next_page` first).
            APIError: the server answered another page than the one asked for.
        """
        if self._has_next_in_query():
            return await self._walk.page(self._query_index, self.current_page + 1)
        if self._query_index + 1 < len(self._walk.queries):
            return await self._walk.page(self._query_index + 1, 1)
        raise ValueError("this is the last page")

    def _has_next_in_query(self) -> bool:
        # An empty page ends the query even if meta promises more: nothing else to follow.
        return bool(self.items) and self.current_page < self.last_page


async def _no_fetch(query: Mapping[str, Any], number: int) -> tuple[list[Any], PageMeta]:
    raise ValueError("this page was made from data (from_dict): it cannot fetch another")


def detached_page(
    items: list[T], *, current_page: int, last_page: int, per_page: int, total: int
) -> Page[T]:
    """A page made from data (``from_dict``): its facts, and no way to fetch the next."""
    walk: _Walk[T] = _Walk(_no_fetch, ({},))
    return Page(items, current_page, last_page, per_page, total, walk=walk)


class AsyncPaginator(Generic[T]):
    """Every item of a list, fetched page by page as it is walked.

    ``async for`` gives every item of every page, fetching each page lazily through
    the endpoint's rate limit; ``await`` gives the first `Page`. Nothing is fetched
    until then, and each walk starts again from the first page.

    Examples:
        >>> async for template in easify.sms.templates():  # doctest: +SKIP
        ...     print(template.id, template.name)
        >>> first = await easify.sms.templates(limit=5)  # doctest: +SKIP
    """

    def __init__(self, fetch: PageFetch[T], queries: Sequence[Mapping[str, Any]]) -> None:
        self._walk = _Walk(fetch, tuple(queries))

    def __repr__(self) -> str:
        return f"<AsyncPaginator queries={len(self._walk.queries)}>"

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._walk.page(0, 1).__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return _Items(self._walk)


class _Items(Generic[T]):
    """The item iterator: a class, not an async generator, so that a ``break`` leaves
    nothing to finalise on any event loop."""

    def __init__(self, walk: _Walk[T]) -> None:
        self._walk = walk
        self._page: Page[T] | None = None
        self._index = 0

    def __aiter__(self) -> _Items[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            page = self._page
            if page is None:
                page = self._page = await self._walk.page(0, 1)
            if self._index < len(page.items):
                self._index += 1
                return page.items[self._index - 1]
            if not page.has_next_page():
                raise StopAsyncIteration
            self._page = await page.next_page()
            self._index = 0
