"""Laravel's resource-collection pagination, rendered exactly as Laravel renders it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from starlette.responses import Response

from ._php import filter_int
from ._replies import json_reply
from ._validator import Rule, at_least, integer

__all__ = ["DEFAULT_PER_PAGE", "LIMIT_RULES", "page_numbers", "paginated", "unpaginated"]

DEFAULT_PER_PAGE = 10
# Laravel's default lang/en/pagination.php, as its JSON resources emit it.
_PREVIOUS = "&laquo; Previous"
_NEXT = "Next &raquo;"
_ON_EACH_SIDE = 3
#: A page size: Laravel's ``integer|min:1`` (the sandbox's choice; the docs say integer).
LIMIT_RULES: tuple[Rule, ...] = (integer(), at_least(1))


def page_numbers(fields: dict[str, Any]) -> tuple[int, int]:
    """``(page, per_page)`` from validated fields.

    The page as Laravel's paginator resolves it: anything but an integer of at least 1
    (``abc``, ``0``, ``-1``, ``1.5``) is page 1. The limit was validated by the
    endpoint's rules (`LIMIT_RULES`); the default when absent.
    """
    page = filter_int(fields.get("page"))
    per_page = filter_int(fields.get("limit"))
    return (page if page is not None and page >= 1 else 1), (
        per_page if per_page is not None and per_page >= 1 else DEFAULT_PER_PAGE
    )


def unpaginated(message: str, items: Sequence[Any]) -> Response:
    """A whole list as ``GET phone-numbers`` answers it without ``limit``."""
    return json_reply({"status": True, "message": message, "data": list(items), "links": []})


def paginated(
    message: str,
    items: Sequence[Any],
    *,
    path: str,
    page: int,
    per_page: int,
    render: Callable[[Any], Any] = lambda item: item,
) -> Response:
    """One page of ``items`` with Laravel's ``links`` and ``meta``.

    As ``LengthAwarePaginator`` does: a page past the last is empty but keeps its
    number; ``from``/``to`` are null for an empty page; the link URLs carry only
    ``?page=N``. Only the page's items are rendered to JSON.
    """
    total = len(items)
    last = max(1, math.ceil(total / per_page))
    chunk = [render(item) for item in items[(page - 1) * per_page : page * per_page]]
    first_index = (page - 1) * per_page + 1

    def url(number: int) -> str:
        return f"{path}?page={number}"

    links: list[dict[str, Any]] = [
        {"url": url(page - 1) if page > 1 else None, "label": _PREVIOUS, "active": False}
    ]
    for element in _url_window(page, last):
        if element is None:
            links.append({"url": None, "label": "...", "active": False})
        else:
            links.append({"url": url(element), "label": str(element), "active": element == page})
    links.append({"url": url(page + 1) if page < last else None, "label": _NEXT, "active": False})
    return json_reply(
        {
            "status": True,
            "message": message,
            "data": chunk,
            "links": {
                "first": url(1),
                "last": url(last),
                "prev": url(page - 1) if page > 1 else None,
                "next": url(page + 1) if page < last else None,
            },
            "meta": {
                "current_page": page,
                "from": first_index if chunk else None,
                "last_page": last,
                "links": links,
                "path": path,
                "per_page": per_page,
                "to": first_index + len(chunk) - 1 if chunk else None,
                "total": total,
            },
        }
    )


def _url_window(page: int, last: int) -> list[int | None]:
    """Laravel's UrlWindow: page numbers to show, ``None`` for a "..." gap."""
    side = _ON_EACH_SIDE
    if last < side * 2 + 8:
        return list(range(1, last + 1))
    window = side + 4
    start, finish = [1, 2], [last - 1, last]
    if page <= window:
        return [*range(1, window + side + 1), None, *finish]
    if page > last - window:
        return [*start, None, *range(last - (window + (side - 1)), last + 1)]
    return [*start, None, *range(page - side, page + side + 1), None, *finish]
