"""The single request path: send, translate failures, map errors, structure the model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from ._requests import Encoded
from ._responses import success_payload
from ._routes import ROUTE_EXTENSION, Route
from ._serde import structure
from ._transports._before_send import BEFORE_SEND_EXTENSION, NOT_SENT_EXTENSION, NotSentReason
from ._transports._retry import is_never_sent
from .errors import APIConnectionError, APIError, APITimeoutError

__all__ = ["HttpCore"]

T = TypeVar("T")


class HttpCore:
    """Sends one API call through the client's transport stack and returns its model."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def call(
        self,
        route: Route,
        encoded: Encoded,
        result: type[T],
        *,
        before_send: Callable[[], Awaitable[None]] | None = None,
        not_sent: Callable[[NotSentReason], Awaitable[None]] | None = None,
    ) -> T:
        """Send ``encoded`` to ``route``; structure the reply's ``data`` into ``result``.

        ``before_send`` is awaited before each attempt goes out, after its slot wait;
        ``not_sent`` after an attempt the server certainly did not act on (a 429, a
        connection never made), before any retry's wait.

        Raises:
            APIError: a subclass for each documented failure, or for a malformed reply.
            APIConnectionError: no usable reply; ``maybe_sent`` says if it may have acted.
        """
        request = self._client.build_request(
            route.method,
            route.path,
            params=encoded.params,
            json=encoded.json,
            data=encoded.data,
            files=encoded.files,
            extensions={
                ROUTE_EXTENSION: route,
                BEFORE_SEND_EXTENSION: before_send,
                NOT_SENT_EXTENSION: not_sent,
            },
        )
        try:
            response = await self._client.send(request)
        except httpx.TransportError as exc:
            error = (
                APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
            )
            raise error(maybe_sent=not is_never_sent(exc), detail=_detail(exc)) from exc
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

    async def aclose(self) -> None:
        """Close the underlying client and its transport stack."""
        await self._client.aclose()


def _detail(exc: httpx.HTTPError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
