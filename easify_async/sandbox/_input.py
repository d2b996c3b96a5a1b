"""A request's fields as a Laravel controller sees them (``$request->all()``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

__all__ = ["laravel_input", "request_fields"]

# PHP's trim() default set, which Laravel's TrimStrings middleware uses.
_TRIMMED = " \t\n\r\0\x0b"
_BRACKETED = re.compile(r"([^\[\]]+)\[([^\[\]]*)\]")


async def request_fields(request: Request) -> dict[str, Any]:
    """Query and body merged, the body winning, as Laravel's ``$request->all()`` does."""
    items: list[tuple[str, Any]] = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if "/json" in content_type or "+json" in content_type:  # Laravel's isJson()
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        if isinstance(body, dict):
            items.extend(body.items())
        return laravel_input(items)
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        # Closed on the way out: only the uploads' names are kept in the ledger.
        async with request.form() as form:
            return laravel_input([*items, *form.multi_items()])
    return laravel_input(items)


def laravel_input(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Fields as a Laravel controller sees them.

    PHP reads ``name[]`` and ``name[key]`` as arrays (a later plain ``name`` wins, as
    the last value of a repeated field does); Laravel's ``TrimStrings`` and
    ``ConvertEmptyStringsToNull`` middleware then trim every string and turn ``""``
    into null.
    """
    fields: dict[str, Any] = {}
    for name, value in items:
        match = _BRACKETED.fullmatch(name)
        if match is None:
            fields[name] = value
            continue
        base, key = match.groups()
        array = fields.get(base)
        if not isinstance(array, dict):
            array = fields[base] = {}
        array[key or str(len(array))] = value
    return {name: _shaped(value) for name, value in fields.items()}


def _shaped(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip(_TRIMMED)
        return value or None
    if isinstance(value, dict):
        if all(key == str(index) for index, key in enumerate(value)):
            return [_shaped(v) for v in value.values()]  # a PHP list
        return {key: _shaped(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_shaped(v) for v in value]
    return value
