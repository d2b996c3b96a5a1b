"""Any request to any endpoint gets one of the documented reply shapes (issue 20).

Every handler's fields go through the one validator now: whatever the values (any JSON
in a body, any text in a query), the reply is a 200 envelope, a 400 envelope or
Laravel's 422 with its "(and N more errors)" summary; never a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async.sandbox import Sandbox
from tests.sandbox.api2_cases import seeded
from tests.sandbox.conftest import raw_client
from tests.sandbox.test_validation import JSON_VALUES

pytestmark = pytest.mark.anyio

# (method, path under api/v2/, the documented fields, valid values to draw from)
ROUTES: list[tuple[str, str, dict[str, list[Any]]]] = [
    ("GET", "phone-numbers", {"limit": [2]}),
    ("PATCH", "phone-numbers/update", {"phone_number_id": [101], "webhook_url": ["https://x.io"]}),
    ("GET", "sms/report", {"from_date": ["2026-11-01"], "to_date": ["2026-11-02"],
     "status": ["Delivered"], "sender": ["3152930000"], "receiver": ["3151350000"],
     "order": ["asc"], "page": [2], "limit": [1], "country_code": ["+1"]}),
    ("GET", "sms/chat-history", {"sender": ["3152930000"], "receiver": ["3151350000"],
     "country_code": ["+1"], "limit": [1], "page": [1]}),
    ("GET", "sms/templates", {"limit": [1], "page": [2]}),
    ("POST", "sms/campaign/send", {"campaign_name": ["N"], "from_numbers": [["+13152930000"]],
     "template_ids": [[7]], "schedule_time": ["2026-11-01 10:00:00"],
     "schedule_timezone": ["America/New_York"]}),
    ("GET", "sms/campaign/status", {"campaign_id": [31529]}),
    ("GET", "sms/campaign/items", {"campaign_id": [31529], "limit": [1]}),
    ("GET", "email/senders", {"limit": [1]}),
    ("GET", "contact-groups", {"limit": [1], "order": ["asc"], "page": [1]}),
    ("POST", "contact-groups/create", {"name": ["Team"]}),
    ("PATCH", "contact-groups/update", {"group_id": [3], "name": ["Team"]}),
    ("DELETE", "contact-groups/delete", {"group_id": [3]}),
    ("GET", "contacts", {"limit": [1], "order": ["asc"], "group_id": [2]}),
    ("POST", "contacts/create", {"group_id": [2], "first_name": ["Ann"], "last_name": ["B"],
     "email_address": ["a@x.io"], "country_code": ["+1"], "phone_number": ["3151350000"],
     "company": ["Acme"], "additional_1": ["x"]}),
    ("PATCH", "contacts/update", {"contact_id": [1], "first_name": ["Ann"],
     "email_address": ["a@x.io"], "country_code": ["+972"], "phone_number": ["501234567"]}),
    ("DELETE", "contacts/delete", {"contact_id": [1]}),
    ("GET", "voice-call/history", {"from": ["+13152930000"], "to": [["+13151350000"]],
     "from_date": ["2026-11-01"], "to_date": ["2026-11-02"], "public_call": [1],
     "limit": [1], "order": ["desc"], "page": [1], "include_subusers": [0]}),
    ("GET", "sub-user/tokens", {"email": ["bob@x.example"], "limit": [1]}),
    ("GET", "../v3/email/status", {"email_id": ["675"], "receiver": ["a@x.example"]}),
    ("POST", "../v3/email/send", {"sender": ["demo@sandbox.easify.test"],
     "receiver": [["a@x.example"]], "cc": [["c@x.example"]], "bcc": [[]], "subject": ["S"],
     "message": ["m"], "additional_data": [{"k": 1}], "from_name": ["N"]}),
]  # fmt: skip
QUERY_TEXT = st.text(max_size=12) | st.sampled_from(["", "0", "-1", "1.5", "abc", "true"])


def requests() -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """A route and any subset of its fields, each valid or any value (text in a query)."""

    def of(route: tuple[str, str, dict[str, list[Any]]]) -> st.SearchStrategy[Any]:
        method, path, fields = route
        anything = QUERY_TEXT if method == "GET" else JSON_VALUES
        optional = {n: st.sampled_from(valid) | anything for n, valid in fields.items()}
        return st.tuples(
            st.just(method), st.just(path), st.fixed_dictionaries({}, optional=optional)
        )

    return st.sampled_from(ROUTES).flatmap(of)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=requests())
async def test_any_request_to_any_endpoint_gets_a_documented_shape(
    request: tuple[str, str, dict[str, Any]],
) -> None:
    """A 200, a 400 envelope, or a 422 with Laravel's summary; never a 500."""
    method, path, fields = request
    sandbox = Sandbox()
    seeded(sandbox)
    async with raw_client(sandbox, "in-process") as client:
        if method == "GET":
            response = await client.get(path, params=fields)
        else:
            response = await client.request(method, path, json=fields)
    reply = response.json()
    assert response.status_code in (200, 400, 422), reply
    if response.status_code == 200:
        assert reply["status"] is True
    elif response.status_code == 400:
        assert (reply["status"], reply["errors"]) == (False, [])
    else:
        messages = [m for field in reply["errors"].values() for m in field]
        more = len(messages) - 1
        assert set(reply) == {"message", "errors"}
        summary = reply["message"].removesuffix(
            f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        )
        # The first message, or the docs' own outer text for it (phone-numbers/update).
        assert summary in (messages[0], "The phone number id field is required.")
