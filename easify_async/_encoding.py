"""What a request model becomes on the wire: ``build_request``'s keyword arguments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from attrs import frozen

from ._serde import unstructure_request
from ._validation import Upload

__all__ = ["Encoded", "encode", "query_fields"]

Q = TypeVar("Q")


@frozen
class Encoded(Generic[Q]):
    """Keyword arguments for ``httpx.AsyncClient.build_request``, made from a ``Q``.

    The type parameter is the request model it was made from: `HttpCore.call` takes an
    ``Encoded[Q]`` only for a ``Route[Q, ...]``, so a type checker catches a request sent
    to the wrong route.
    """

    params: dict[str, Any] | None = None
    json: dict[str, Any] | None = None
    data: dict[str, str | list[str]] | None = None
    files: list[tuple[str, tuple[str, bytes]]] | None = None


def query_fields(request: object) -> dict[str, Any]:
    """A query's fields; a list as indexed keys (``to[0]``, ``to[1]``).

    In a query string Laravel reads an array from indexed keys; httpx would repeat a bare
    ``to``, of which PHP keeps only the last.
    """
    fields = unstructure_request(request)
    for key, value in tuple(fields.items()):
        if isinstance(value, list):
            del fields[key]
            fields.update((f"{key}[{index}]", item) for index, item in enumerate(value))
    return fields


def encode(
    request: Q, *, query: bool = False, uploads: Sequence[tuple[str, Upload]] = ()
) -> Encoded[Q]:
    """JSON body, query string, or multipart when files go up.

    In multipart every value is text: numbers and booleans as ``1``/``0``, mappings
    (``additional_data``) as JSON, and a list as repeated ``name[]`` fields, which
    Laravel reads as an array.
    """
    if query:
        return Encoded(params=query_fields(request))
    fields = unstructure_request(request)
    if not uploads:
        return Encoded(json=fields)
    data: dict[str, str | list[str]] = {}
    for key, value in fields.items():
        if isinstance(value, list):
            data[f"{key}[]"] = [str(v) for v in value]
        else:
            data[key] = value if isinstance(value, str) else json.dumps(value)
    files = [(name, (upload.filename, upload.content)) for name, upload in uploads]
    return Encoded(data=data, files=files)
