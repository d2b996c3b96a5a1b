"""The routes of the list, number, template and campaign endpoints, and their limits.

The shared pipeline hands a handler the merged fields only; these endpoints also need
the request's URL (Laravel's pagination links) and an upload's content (a campaign's
CSV, which the pipeline's form reading closes): both reach the handler through
`_api_fields.current_request`, set for the request's duration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from . import _handlers_campaigns, _handlers_history, _handlers_numbers
from ._api_fields import RequestFacts, current_request
from ._extra_routes import EXTRA_LIMITS, EXTRA_ROUTES

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["API_LIMITS", "api_routes"]

#: Requests per window of each bucket (spec §2). ``campaign_send`` has no documented
#: limit; 60 is Laravel's default ``throttle:api``, the likeliest for such a route.
API_LIMITS = {
    "sms_report": 60,
    "sms_chat_history": 60,
    "sms_templates": 60,
    "campaign_send": 60,
    "campaign_status": 60,
    "campaign_items": 60,
    "phone_numbers": 60,
    "phone_numbers_update": 60,
    **EXTRA_LIMITS,
}


_ROUTES: list[tuple[str, str, str, Callable[..., Response]]] = [
    ("GET", "phone-numbers", "phone_numbers", _handlers_numbers.phone_numbers),
    ("PATCH", "phone-numbers/update", "phone_numbers_update", _handlers_numbers.update),
    ("GET", "sms/report", "sms_report", _handlers_history.sms_report),
    ("GET", "sms/chat-history", "sms_chat_history", _handlers_history.chat_history),
    ("GET", "sms/templates", "sms_templates", _handlers_history.templates),
    ("POST", "sms/campaign/send", "campaign_send", _handlers_campaigns.send),
    ("GET", "sms/campaign/status", "campaign_status", _handlers_campaigns.status),
    ("GET", "sms/campaign/items", "campaign_items", _handlers_campaigns.items),
]


def api_routes(sandbox: Sandbox) -> list[Route]:
    """Starlette routes for these endpoints, through the sandbox's pipeline."""
    return [
        Route(f"/api/v2/{path}", _with_facts(sandbox, bucket, handler), methods=[method])
        for method, path, bucket, handler in _ROUTES
    ] + [
        Route(path, _with_facts(sandbox, bucket, handler), methods=[method])
        for method, path, bucket, handler in EXTRA_ROUTES
    ]


def _with_facts(
    sandbox: Sandbox, bucket: str, handler: Callable[..., Response]
) -> Callable[[Request], Any]:
    inner = sandbox._endpoint(bucket, handler)

    async def endpoint(request: Request) -> Response:
        uploads: dict[str, tuple[str, bytes]] = {}
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            try:
                # Starlette caches the parsed form: the pipeline reads this same one.
                form = await request.form()
            except ClientDisconnect:
                return Response(status_code=499)
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    uploads[name] = (value.filename or "", await value.read())
                    await value.seek(0)
        token = current_request.set(RequestFacts(str(request.url.replace(query="")), uploads))
        try:
            response: Response = await inner(request)
            return response
        finally:
            current_request.reset(token)

    return endpoint
