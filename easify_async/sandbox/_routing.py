"""The route table and Laravel's router: which endpoint a request reaches, or its 404/405.

What it keeps of Laravel's ``RouteCollection``:

- the path is matched without its leading and trailing slashes (``Request::path()``),
  so ``sms/send/`` reaches ``sms/send`` where Starlette would redirect;
- an unknown path is a JSON 404 ``{"message": "The route api/v2/x could not be found."}``
  and a known path under another method a JSON 405 naming the methods it supports, with
  Symfony's ``Allow`` header; both come before authentication and the throttle;
- a path parameter (``{id}`` in the SDK's route) matches one non-empty segment, decoded
  (``%2F`` stays inside it); the handler reads it from ``ApiRequest.params``;
- a GET route also answers HEAD (without a body), and ``OPTIONS`` on a known path is an
  empty 200 with ``Allow``.

The sandbox answers those in JSON whatever the request's ``Accept`` (Laravel renders
JSON when the request asks for it, as the SDK's ``Accept: application/json`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

from attrs import Factory, field, frozen
from starlette.responses import Response

from .._routes import AnyRoute
from ._replies import method_not_allowed, not_found, options_reply

if TYPE_CHECKING:
    from ._request import ApiRequest
    from ._store import SandboxState

__all__ = ["Endpoint", "Handler", "Match", "resolve"]

#: An endpoint's own checks and effect, run after auth, throttle and plan checks: the
#: sandbox's state and the parsed request in, the reply out.
Handler = Callable[["SandboxState", "ApiRequest"], Response]


@frozen
class Endpoint:
    """One route of the sandbox: a row of the SDK's route table and its handler.

    Attributes:
        route: the row (method, path, version, bucket, documented limit).
        handler: what it does once the request got through.
        served_limit: requests per window when the server's limit is not the documented
            one the row keeps to (a row whose docs state none).
        path: Laravel's route URI, no slashes around it (``api/v2/sms/send``).
    """

    route: AnyRoute
    handler: Handler
    served_limit: int | None = None
    path: str = field(
        init=False,
        default=Factory(
            lambda self: f"api/{self.route.version}/{self.route.path}", takes_self=True
        ),
    )

    @property
    def method(self) -> str:
        """``GET``, ``POST``, ``PATCH`` or ``DELETE``."""
        return self.route.method

    @property
    def bucket(self) -> str:
        """The per-token rate-limit counter it counts against."""
        return self.route.bucket

    @property
    def limit(self) -> int:
        """Requests per window (15 or 60 on the docs' pages)."""
        return self.route.limit.limit if self.served_limit is None else self.served_limit

    def match(self, path: str, decoded: str) -> dict[str, str] | None:
        """The path parameters if ``path`` (as sent, quoted; ``decoded`` once for every
        endpoint) is this route's, else None."""
        if not self.route.params:
            return {} if decoded == self.path else None
        sent = path.split("/")
        wanted = self.path.split("/")
        if len(sent) != len(wanted):
            return None
        params: dict[str, str] = {}
        for segment, template in zip(sent, wanted, strict=True):
            value = unquote(segment)
            if template.startswith("{") and template.endswith("}"):
                if not value:
                    return None
                params[template[1:-1]] = value
            elif value != template:
                return None
        return params


def _uri(route: AnyRoute) -> str:
    return f"api/{route.version}/{route.path}"


@frozen
class Match:
    """The endpoint a request reaches, and its path parameters (decoded)."""

    endpoint: Endpoint
    params: dict[str, str]


def resolve(endpoints: Sequence[Endpoint], method: str, raw_path: str) -> Match | Response:
    """The endpoint ``method raw_path`` reaches, or the reply Laravel's router gives."""
    path = raw_path.strip("/") or "/"
    decoded = unquote(path)
    methods: list[str] = []
    for endpoint in endpoints:
        params = endpoint.match(path, decoded)
        if params is None:
            continue
        served = [endpoint.method, "HEAD"] if endpoint.method == "GET" else [endpoint.method]
        if method in served:
            return Match(endpoint, params)
        methods.extend(served)
    if not methods:
        return not_found(path)
    if method == "OPTIONS":
        return options_reply(methods)
    return method_not_allowed(method, path, methods)
