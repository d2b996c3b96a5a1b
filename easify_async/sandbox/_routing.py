"""The route table and Laravel's router: which endpoint a request reaches, or its 404/405.

What it keeps of Laravel's ``RouteCollection``:

- the path is matched without its leading and trailing slashes (``Request::path()``),
  so ``sms/send/`` reaches ``sms/send`` where Starlette would redirect;
- an unknown path is a JSON 404 ``{"message": "The route api/v2/x could not be found."}``
  and a known path under another method a JSON 405 naming the methods it supports, with
  Symfony's ``Allow`` header; both come before authentication and the throttle;
- a GET route also answers HEAD (without a body), and ``OPTIONS`` on a known path is an
  empty 200 with ``Allow``.

The sandbox answers those in JSON whatever the request's ``Accept`` (Laravel renders
JSON when the request asks for it, as the SDK's ``Accept: application/json`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

from attrs import frozen
from starlette.responses import Response

from ._replies import method_not_allowed, not_found, options_reply

if TYPE_CHECKING:
    from ._request import ApiRequest
    from ._store import SandboxState

__all__ = ["Endpoint", "Handler", "resolve"]

#: An endpoint's own checks and effect, run after auth, throttle and plan checks: the
#: sandbox's state and the parsed request in, the reply out.
Handler = Callable[["SandboxState", "ApiRequest"], Response]


@frozen
class Endpoint:
    """One route of the sandbox.

    Attributes:
        method: ``GET``, ``POST``, ``PATCH`` or ``DELETE``.
        path: Laravel's route URI, no slashes around it (``api/v2/sms/send``).
        bucket: the per-token rate-limit counter it counts against.
        limit: requests per window (15 or 60 on the docs' pages).
        handler: what it does once the request got through.
    """

    method: str
    path: str
    bucket: str
    limit: int
    handler: Handler


def resolve(endpoints: Sequence[Endpoint], method: str, raw_path: str) -> Endpoint | Response:
    """The endpoint ``method raw_path`` reaches, or the reply Laravel's router gives."""
    path = raw_path.strip("/") or "/"
    decoded = unquote(path)
    methods: list[str] = []
    for endpoint in endpoints:
        if endpoint.path != decoded:
            continue
        served = [endpoint.method, "HEAD"] if endpoint.method == "GET" else [endpoint.method]
        if method in served:
            return endpoint
        methods.extend(served)
    if not methods:
        return not_found(path)
    if method == "OPTIONS":
        return options_reply(methods)
    return method_not_allowed(method, path, methods)
