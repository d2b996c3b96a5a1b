"""A request as an endpoint's handler sees it, and the helpers the handlers share.

The pipeline (``_sandbox``) reads the request once, authenticates it and hands the
handler an `ApiRequest`: the account, the fields as a Laravel controller sees them, the
URL (Laravel's pagination links) and the uploads' content (a campaign's CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import Factory, frozen
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from ._input import request_fields
from ._pagination import page_numbers, paginated
from ._php import filter_int, php_string
from ._state import Account

__all__ = [
    "ApiRequest",
    "RawRequest",
    "array_field",
    "flag",
    "list_reply",
    "matching",
    "optional_text",
    "read_request",
    "text",
]


@frozen
class RawRequest:
    """What the pipeline reads of a request before it knows the account."""

    fields: dict[str, Any]  # query and body merged, as ``$request->all()``
    path: str  # the URL without its query, as Laravel's paginator writes it
    uploads: dict[str, tuple[str, bytes]]  # field name -> (file name, content)


@frozen
class ApiRequest:
    """An authenticated request, parsed: what a handler works from."""

    account: Account
    fields: dict[str, Any]
    path: str
    uploads: dict[str, tuple[str, bytes]]
    #: The route's path parameters, decoded (``{}`` for a route without any).
    params: dict[str, str] = Factory(dict)

    @classmethod
    def of(
        cls, account: Account, raw: RawRequest, params: dict[str, str] | None = None
    ) -> ApiRequest:
        return cls(account, raw.fields, raw.path, raw.uploads, params or {})


async def read_request(request: Request) -> RawRequest:
    """The fields, the URL without its query, and the uploads' content, read before the
    form reading closes them (Starlette caches the parsed form)."""
    uploads: dict[str, tuple[str, bytes]] = {}
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads[name] = (value.filename or "", await value.read())
                await value.seek(0)
    fields = await request_fields(request)
    return RawRequest(fields, str(request.url.replace(query="")), uploads)


def text(fields: dict[str, Any], name: str) -> str:
    """A field as stripped text; ``""`` when absent or a file."""
    value = fields.get(name)
    if isinstance(value, UploadFile) or value is None:
        return ""
    return str(value).strip()


def optional_text(value: Any) -> str | None:
    """A field as PHP's text, ``None`` when absent."""
    return None if value is None else php_string(value)


def flag(value: Any) -> bool:
    """A validated ``integer|in:0,1`` field: on or off (off when absent)."""
    return bool(filter_int(value)) if value is not None else False


def array_field(fields: dict[str, Any], name: str) -> list[str] | None:
    """A list (JSON, or PHP's ``name[]`` fields), a lone string as one item, or None."""
    value = fields.get(name)
    if isinstance(value, list):
        return [php_string(v).strip() for v in value]
    if value is None:
        return None
    return [php_string(value).strip()]


def matching(address: str, addresses: Iterable[str]) -> str | None:
    """The listed address ``address`` names; case-insensitively, as MySQL's default
    collations compare."""
    folded = address.casefold()
    return next((a for a in addresses if a.casefold() == folded), None)


def list_reply(
    request: ApiRequest,
    message: str,
    items: Sequence[Any],
    render: Callable[[Any], Any] = lambda item: item,
) -> Response:
    """The page the query asks for, in Laravel's shape (the limit already validated)."""
    page, per_page = page_numbers(request.fields)
    return paginated(message, items, path=request.path, page=page, per_page=per_page, render=render)
