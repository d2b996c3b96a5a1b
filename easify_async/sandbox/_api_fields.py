"""Helpers the list and campaign handlers share: fields, and a list's reply."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import frozen
from starlette.datastructures import UploadFile
from starlette.responses import Response

from ._pagination import page_numbers, paginated

__all__ = ["RequestFacts", "current_request", "list_reply", "matching", "text"]


@frozen
class RequestFacts:
    """What a handler may need beyond the fields (see `_api_routes`)."""

    path: str  # the URL without its query, as Laravel's paginator writes it
    uploads: dict[str, tuple[str, bytes]]  # field name -> (file name, content)


current_request: contextvars.ContextVar[RequestFacts] = contextvars.ContextVar(
    "easify_sandbox_request"
)


def matching(address: str, addresses: Iterable[str]) -> str | None:
    """The listed address ``address`` names; case-insensitively, as MySQL's default
    collations compare."""
    folded = address.casefold()
    return next((a for a in addresses if a.casefold() == folded), None)


def text(fields: dict[str, Any], name: str) -> str:
    """A field as stripped text; ``""`` when absent or a file."""
    value = fields.get(name)
    if isinstance(value, UploadFile) or value is None:
        return ""
    return str(value).strip()


def list_reply(
    fields: dict[str, Any],
    message: str,
    items: Sequence[Any],
    render: Callable[[Any], Any] = lambda item: item,
) -> Response:
    """The page the query asks for, in Laravel's shape (the limit already validated)."""
    page, per_page = page_numbers(fields)
    return paginated(
        message, items, path=current_request.get().path, page=page, per_page=per_page, render=render
    )
