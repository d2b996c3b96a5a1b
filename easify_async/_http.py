"""The single request path: send, translate failures, map errors, structure the model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from ._pagination import ITERATION_PAGE_SIZE, AsyncPaginator, PageMeta
from ._requests import Encoded
from ._responses import success_payload
from ._routes import ROUTE_EXTENSION, Route
from ._serde import structure, unstructure_request
from ._transports._before_send import BEFORE_SEND_EXTENSION
from ._transports._retry import is_never_sent
from .errors import APIConnectionError, APIError, APITimeoutError, ArgumentError

__all__ = ["HttpCore"]

T = TypeVar("T")


class HttpCore:
    """Sends one API call through the client's transport stack and returns its model.

    A route of another API version than the client's base URL goes to ``bases[version]``.
    """

    def __init__(self, client: httpx.AsyncClient, *, bases: Mapping[str, str] = {}) -> None:
        self._client = client
        self._bases = bases

    async def call(
        self,
        route: Route,
        encoded: Encoded,
        result: type[T],
        *,
        before_send: Callable[[], Awaitable[None]] | None = None,
    ) -> T:
        """Send ``encoded`` to ``route``; structure the reply's ``data`` into ``result``.

        ``before_send`` is awaited before each attempt goes out, after its slot wait.

        Raises:
            APIError: a subclass for each documented failure, or for a malformed reply.
            APIConnectionError: no usable reply; ``maybe_sent`` says if it may have acted.
        """
        response = await self._send(route, encoded, before_send)
        body = success_payload(response)
        data = body["data"]
        try:
            # The model's `message` comes from the envelope, the rest from `data`.
            return structure({**data, "message": str(body.get("message", "")).strip()}, result)  # type: ignore[no-any-return]
        except Exception as exc:
            raise APIError(
                f"the reply's data does not fit {result.__name__}: {data!r}",
                status_code=response.status_code,
                body=response.text,
                response=response,
                maybe_sent=True,
            ) from exc

    def paginate(
        self,
        route: Route,
        query: object | Sequence[object],
        item: type[T],
        *,
        limit: int | None = None,
        default_limit: int | None = ITERATION_PAGE_SIZE,
    ) -> AsyncPaginator[T]:
        """A lazy walk over a list endpoint: ``query`` (a request model, or several walked
        in order) page by page, each item structured into ``item``.

        ``limit`` is the page size asked for (``default_limit`` when omitted; ``None``
        sends no ``limit``, which ``GET phone-numbers`` answers with the whole list).

        Raises:
            ArgumentError: ``limit`` is not a positive int (before any request).
        """
        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or limit < 1
        ):
            raise ArgumentError("limit", f"must be a positive integer, got {limit!r}")
        size = default_limit if limit is None else limit
        models = query if isinstance(query, (list, tuple)) else [query]
        queries = [unstructure_request(model) for model in models]

        async def fetch(fields: Mapping[str, Any], number: int) -> tuple[list[T], PageMeta]:
            params = dict(fields)
            if size is not None:
                params["limit"] = size
                params["page"] = number
            elif number > 1:
                params["page"] = number
            response = await self._send(route, Encoded(params=params), None)
            return _page(response, success_payload(response), number, item)

        return AsyncPaginator(fetch, queries)

    async def _send(
        self,
        route: Route,
        encoded: Encoded,
        before_send: Callable[[], Awaitable[None]] | None,
    ) -> httpx.Response:
        base = self._bases.get(route.version)
        request = self._client.build_request(
            route.method,
            route.path if base is None else f"{base}/{route.path}",
            params=encoded.params,
            json=encoded.json,
            data=encoded.data,
            files=encoded.files,
            extensions={ROUTE_EXTENSION: route, BEFORE_SEND_EXTENSION: before_send},
        )
        try:
            response = await self._client.send(request)
        except httpx.TransportError as exc:
            error = (
                APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
            )
            raise error(maybe_sent=not is_never_sent(exc), detail=_detail(exc)) from exc
        return response

    async def aclose(self) -> None:
        """Close the underlying client and its transport stack."""
        await self._client.aclose()


def _detail(exc: httpx.HTTPError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _page(
    response: httpx.Response, body: dict[str, Any], number: int, item: type[T]
) -> tuple[list[T], PageMeta]:
    """A list reply's items and meta; an `APIError` for one that cannot be walked."""
    data = body["data"]
    raw_meta = body.get("meta")

    def malformed(what: str) -> APIError:
        return APIError(
            f"{_route_text(response)}: {what}",
            status_code=response.status_code,
            body=response.text,
            response=response,
            maybe_sent=True,
        )

    if not isinstance(data, list):
        raise malformed(f"a list reply whose data is not a list: {data!r:.200}")
    if raw_meta is None:
        # GET phone-numbers without `limit` answers the whole list, `"links": []`, no meta.
        if number != 1:
            raise malformed(f"asked for page {number}, got an unpaginated list")
        meta = PageMeta(1, 1, len(data), len(data))
    else:
        try:
            meta = structure(raw_meta, PageMeta)
        except Exception as exc:
            raise malformed(f"pagination meta that cannot be read: {raw_meta!r:.200}") from exc
        if meta.current_page != number:
            # A server that does not advance would otherwise be walked forever.
            raise malformed(
                f"asked for page {number}, the server answered page {meta.current_page}"
            )
    try:
        return [structure(entry, item) for entry in data], meta
    except Exception as exc:
        raise malformed(f"an item does not fit {item.__name__}: {exc}") from exc


def _route_text(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url.path}"
