"""The reply bodies, exactly as the docs pages show them and as Laravel writes them.

Every JSON reply is encoded as Laravel's ``JsonResponse`` does (PHP's ``json_encode``
with its default flags: ``\\/`` for ``/``, ``\\uXXXX`` for non-ASCII), and carries the
``Cache-Control: no-cache, private`` Symfony adds to every uncached response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import HTMLResponse, Response

from .._php_json import php_json_encode
from ._validator import Failed

__all__ = [
    "COUNTRY_MESSAGE",
    "PLAN_MESSAGE",
    "RECHARGE",
    "UNAUTHENTICATED",
    "failure",
    "gateway_page",
    "json_reply",
    "method_not_allowed",
    "not_found",
    "options_reply",
    "success",
    "validation_error",
]

COUNTRY_MESSAGE = (
    "Currently, this service is only available in the following countries: Canada, United "
    "States, Israel, United Kingdom. Please verify the country code."
)
PLAN_MESSAGE = (
    "Access denied. Your current plan does not allow access to this feature. Please upgrade "
    "to the Enterprise plan."
)
UNAUTHENTICATED = "Unauthenticated"
RECHARGE = "You need to recharge your account to proceed"
_LARAVEL_HEADERS = {"Cache-Control": "no-cache, private"}


def json_reply(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """``body`` as Laravel's ``response()->json()`` sends it."""
    return Response(
        php_json_encode(body),
        status_code=status,
        headers={**_LARAVEL_HEADERS, **(headers or {})},
        media_type="application/json",
    )


def success(message: str, data: Any) -> Response:
    """200 ``{"status": true, "message": ..., "data": ...}``."""
    return json_reply({"status": True, "message": message, "data": data})


def failure(status: int, message: str) -> Response:
    """``{"status": false, "message": ..., "errors": []}`` (every non-validation error)."""
    return json_reply({"status": False, "message": message, "errors": []}, status)


def validation_error(failed: Failed, status: int = 422) -> Response:
    """Laravel's validation shape, no ``status`` key."""
    return json_reply({"message": failed.message, "errors": failed.errors}, status)


def not_found(path: str) -> Response:
    """Laravel's JSON for a route that does not exist (``NotFoundHttpException``)."""
    return json_reply({"message": f"The route {path} could not be found."}, 404)


def method_not_allowed(method: str, path: str, allowed: list[str]) -> Response:
    """Laravel's JSON for a path served under other methods, with Symfony's ``Allow``."""
    message = (
        f"The {method} method is not supported for route {path}. "
        f"Supported methods: {', '.join(allowed)}."
    )
    return json_reply({"message": message}, 405, {"Allow": ", ".join(allowed)})


def options_reply(allowed: list[str]) -> Response:
    """Laravel's own answer to ``OPTIONS`` on a known path: empty, ``Allow`` without spaces."""
    return Response(
        b"",
        headers={
            **_LARAVEL_HEADERS,
            "Allow": ",".join(allowed),
            "Content-Type": "text/html; charset=UTF-8",
        },
    )


def gateway_page() -> Response:
    """What a proxy in front of the API answers when the backend is down."""
    return HTMLResponse(
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
        "</h1></center><hr><center>nginx</center></body></html>",
        status_code=502,
    )
