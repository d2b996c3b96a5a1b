"""The reply envelope's ``message`` reaches only the models that ask for it (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as StarletteRoute

from easify_async import AsyncEasify
from easify_async._encoding import Encoded
from easify_async._models.campaigns import CampaignSent
from easify_async._models.common import Acknowledged
from easify_async._models.sms import SmsTemplate
from easify_async._routes import SMS_SEND, SMS_TEMPLATES
from easify_async.models import EmailSent, SmsSent
from easify_async.sandbox import DEMO_TOKEN
from tests._served import served_asgi

pytestmark = pytest.mark.anyio

TEMPLATE = {"id": 3, "name": "Welcome", "message": "Hello {name}, welcome"}
SENT = {"sms_id": 31533}


def replying(data: dict[str, dict[str, Any]]) -> Starlette:
    """An API that answers ``path`` with ``data[path]`` under the envelope's own message."""

    async def reply(request: Request) -> JSONResponse:
        rest = request.path_params["rest"]
        return JSONResponse({"status": True, "message": " SMS Template ", "data": data[rest]})

    return Starlette(routes=[StarletteRoute("/api/v2/{rest:path}", reply, methods=["GET", "POST"])])


async def test_a_model_with_its_own_message_keeps_it() -> None:
    """A template's ``message`` is its text, not the envelope's "SMS Template"."""
    async with (
        served_asgi(replying({"sms/templates": TEMPLATE, "sms/send": SENT})) as origin,
        AsyncEasify(DEMO_TOKEN, base_url=f"{origin}/api/v2") as easify,
    ):
        template = await easify._http.call(SMS_TEMPLATES, Encoded())
        sent = await easify._http.call(SMS_SEND, Encoded())
    assert template.message == "Hello {name}, welcome"
    assert template.name == "Welcome"
    # A send's reply has no message of its own: it is the envelope's, stripped.
    assert sent == SmsSent(sms_id="31533", message="SMS Template")


def test_the_models_that_take_the_envelopes_message_are_the_replies_to_a_call() -> None:
    """Only the replies whose ``message`` is the server's say so; a record never does."""
    takes = [SmsSent, EmailSent, CampaignSent, Acknowledged]
    assert all(model._envelope_message for model in takes)
    assert not getattr(SmsTemplate, "_envelope_message", False)
