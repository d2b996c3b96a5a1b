"""Every endpoint, not only sms.send: whatever the server answers, each method gives its
result or a typed `EasifyError` that says `maybe_sent` right and quotes no token.

The replies are those of `test_any_reply` plus success envelopes whose ``data`` has the
shape of the API's records with values of any JSON type: the structuring of every model
is exercised, not only the envelope's checks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import APIError, AsyncEasify, AsyncPaginator
from easify_async._routes import BUCKETS, ROUTE_EXTENSION
from tests.hostile.test_any_reply import TOKEN, bodies, check, headers, json_values, statuses

pytestmark = pytest.mark.anyio

DAY = dt.date(2026, 11, 1)


async def first_items(paginator: AsyncPaginator[Any]) -> object:
    """The first page, then a walk of a few items (following pages as the reply says)."""
    page = await paginator
    taken = 0
    async for _ in paginator:
        taken += 1
        if taken >= 3:
            break
    return page


Call = Callable[[AsyncEasify], Awaitable[object]]

#: One call per endpoint of the API (spec §2), with valid arguments, by route bucket.
CALLS: dict[str, Call] = {
    "sms_send": lambda e: e.sms.send("3152930000", "+13151350000", message="hi"),
    "sms_status": lambda e: e.sms.status("315"),
    "sms_report": lambda e: first_items(e.sms.report(from_date=DAY, to_date=DAY)),
    "sms_chat_history": lambda e: e.sms.chat_history(sender="3152930000", receiver="+13151350000"),
    "sms_templates": lambda e: first_items(e.sms.templates()),
    "email_send": lambda e: e.email.send("qa@x.example", "a@x.example", "Hi", message="m"),
    "email_senders": lambda e: first_items(e.email.senders()),
    "email_v3_send": lambda e: e.v3.email.send("qa@x.example", ["a@x.example"], "Hi", message="m"),
    "email_v3_status": lambda e: e.v3.email.status("9"),
    "phone_numbers": lambda e: e.phone_numbers.list(),
    "phone_numbers_update": lambda e: e.phone_numbers.update_webhook(
        7, webhook_url="https://x.example/in"
    ),
    "campaign_send": lambda e: e.campaigns.send("N", ["+13152930000"], [7], b"+13151350000\n"),
    "campaign_status": lambda e: e.campaigns.status(5),
    "campaign_items": lambda e: first_items(e.campaigns.items(5)),
    "contact_groups": lambda e: first_items(e.contact_groups.list()),
    "contact_groups_create": lambda e: e.contact_groups.create(name="VIP"),
    "contact_groups_update": lambda e: e.contact_groups.update(3, name="VIPs"),
    "contact_groups_delete": lambda e: e.contact_groups.delete(3),
    "contacts": lambda e: first_items(e.contacts.list()),
    "contacts_create": lambda e: e.contacts.create(
        group_id=3, first_name="Ann", phone_number="+13151350000"
    ),
    "contacts_update": lambda e: e.contacts.update(4, first_name="Ann", email_address="a@x.io"),
    "contacts_delete": lambda e: e.contacts.delete(4),
    "voice_call_history": lambda e: first_items(e.voice_calls.history()),
    "sub_user_tokens": lambda e: first_items(e.sub_users.list()),
}

# Field names of the API's records, so that ``data`` often looks like a record.
FIELDS = [
    "id", "sms_id", "email_id", "campaign_id", "status", "name", "message", "created_at",
    "updated_at", "phone_number", "first_name", "group_name", "contacts_count",
    "default_group", "shared_group", "from_email", "from_name", "recipient", "recipient_type",
    "open_status", "email", "easify_api_token", "from", "to", "number", "webhook_url",
    "success_count", "failed_count", "total_count", "receiver", "sender", "remarks",
]  # fmt: skip
record = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
pagination = st.fixed_dictionaries(
    {},
    optional={
        "current_page": json_values | st.integers(0, 3),
        "last_page": json_values | st.integers(0, 3),
        "per_page": json_values,
        "total": json_values,
    },
)
shaped = st.fixed_dictionaries(
    {"status": st.just(True) | json_values, "message": st.text(max_size=10)},
    optional={
        "data": record | st.lists(record, max_size=3) | json_values,
        "meta": pagination | json_values,
        "links": json_values,
    },
)


async def test_the_table_has_every_endpoint_and_each_row_calls_its_own() -> None:
    """A new endpoint without a row here would escape the properties."""
    assert sorted(CALLS) == sorted(BUCKETS)
    called: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        called.append(request.extensions[ROUTE_EXTENSION].bucket)
        return httpx.Response(500)

    transport = httpx.MockTransport(handler)
    async with AsyncEasify(TOKEN, transport=transport, max_retries=0, rate_limits=None) as easify:
        for bucket, call in CALLS.items():
            with pytest.raises(APIError):
                await call(easify)
            assert called[-1] == bucket


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    endpoint=st.sampled_from(sorted(CALLS)),
    status=statuses,
    reply_headers=headers,
    body=bodies | shaped.map(lambda reply: json.dumps(reply).encode()),
)
async def test_any_reply_to_any_endpoint_is_a_typed_error_or_a_result(
    endpoint: str, status: int, reply_headers: dict[str, str], body: bytes
) -> None:
    """Any status, headers and bytes, on each endpoint: a result or a typed error."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=reply_headers, stream=httpx.ByteStream(body))

    transport = httpx.MockTransport(handler)
    async with AsyncEasify(TOKEN, transport=transport, max_retries=0, rate_limits=None) as easify:
        try:
            with anyio.fail_after(20):  # a hang fails the example instead of the suite
                await CALLS[endpoint](easify)
        except Exception as exc:
            check(exc, status)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(sorted(CALLS)), reply=shaped)
async def test_a_success_envelope_with_any_data_is_a_result_or_a_typed_error(
    endpoint: str, reply: dict[str, Any]
) -> None:
    """A 200 whose ``data`` is any record-like JSON: the model or a typed misfit error."""
    # json.dumps writes NaN and Infinity as Python does: a reply no JSON parser must take.
    body = json.dumps(reply).encode()
    content_type = {"Content-Type": "application/json"}
    transport = httpx.MockTransport(
        lambda _: httpx.Response(200, headers=content_type, content=body)
    )
    async with AsyncEasify(TOKEN, transport=transport, max_retries=0, rate_limits=None) as easify:
        try:
            with anyio.fail_after(20):
                await CALLS[endpoint](easify)
        except Exception as exc:
            check(exc, 200)
