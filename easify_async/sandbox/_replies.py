"""The documented reply bodies, exactly as the docs pages show them."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse, JSONResponse, Response

__all__ = ["COUNTRY_MESSAGE", "failure", "field_error", "gateway_page", "success"]

COUNTRY_MESSAGE = (
    "Currently, this service is only available in the following countries: Canada, United "
    "States, Israel, United Kingdom. Please verify the country code."
)
PLAN_MESSAGE = (
    "Access denied. Your current plan does not allow access to this feature. Please upgrade "
    "to the Enterprise plan."
)


def success(message: str, data: Any) -> JSONResponse:
    """200 ``{"status": true, "message": ..., "data": ...}``."""
    return JSONResponse({"status": True, "message": message, "data": data})


def failure(status: int, message: str) -> JSONResponse:
    """``{"status": false, "message": ..., "errors": []}`` (every non-validation error)."""
    return JSONResponse({"status": False, "message": message, "errors": []}, status_code=status)


def field_error(
    field: str, message: str, *, outer: str | None = None, status: int = 422
) -> JSONResponse:
    """Laravel's validation shape, no ``status`` key; ``outer`` when the docs' differ."""
    return JSONResponse(
        {"message": outer or message, "errors": {field: [message]}}, status_code=status
    )


def gateway_page() -> Response:
    """What a proxy in front of the API answers when the backend is down."""
    return HTMLResponse(
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
        "</h1></center><hr><center>nginx</center></body></html>",
        status_code=502,
    )


UNAUTHENTICATED = "Unauthenticated"
RECHARGE = "You need to recharge your account to proceed"
