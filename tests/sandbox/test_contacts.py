"""Contacts: the client against the sandbox, in process and over uvicorn; bad input first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easify_async import (
    APIError,
    ArgumentError,
    AsyncEasify,
    InvalidContactError,
    InvalidGroupError,
    UnsupportedCountryError,
)
from easify_async.sandbox import DEMO_TOKEN, Sandbox
from tests._recording import recording_client
from tests.sandbox.conftest import Connect, assert_throttled_at, raw_client

pytestmark = pytest.mark.anyio


async def test_contacts_are_created_listed_updated_and_deleted(connect: Connect) -> None:
    """create (E.164, national + code, email only), list by group, update, delete; counted."""
    async with connect(Sandbox()) as easify:
        vip = await easify.contact_groups.create(name="VIP")
        ann = await easify.contacts.create(
            group_id=vip.id, first_name="Ann", phone_number="+13151350000", company="Acme"
        )
        await easify.contacts.create(
            group_id=vip.id, first_name="Dov", phone_number="501234567", country_code="+972"
        )
        other = await easify.contact_groups.create(name="Other")
        await easify.contacts.create(group_id=other.id, first_name="Eve", email_address="e@x.io")
        in_vip = [c.first_name async for c in easify.contacts.list(vip.id, order="asc")]
        every = [c async for c in easify.contacts.list()]
        counted = {g.name: g.contacts_count async for g in easify.contact_groups.list()}
        anne = await easify.contacts.update(ann.id, first_name="Anne", email_address="a@x.io")
        await easify.contacts.delete(ann.id)
        left = [c.first_name async for c in easify.contacts.list(vip.id)]
    assert (ann.phone_number, ann.group_name, ann.company) == ("+13151350000", "VIP", "Acme")
    assert in_vip == ["Ann", "Dov"]
    assert [c.first_name for c in every] == ["Eve", "Dov", "Ann"]
    assert every[1].phone_number == "+972501234567"
    assert counted == {"Other": 1, "VIP": 2, "Default": 0}
    # Issue 20.13: the phone, not sent, stays.
    assert (anne.first_name, anne.email_address, anne.phone_number) == (
        "Anne",
        "a@x.io",
        "+13151350000",
    )
    assert left == ["Dov"]


async def test_each_documented_contact_error_is_typed(connect: Connect) -> None:
    """An unknown contact id is InvalidContactError; an unknown group InvalidGroupError."""
    async with connect(Sandbox()) as easify:
        with pytest.raises(InvalidContactError) as unknown:
            await easify.contacts.delete(9999)
        with pytest.raises(InvalidContactError):
            await easify.contacts.update(9999, first_name="A", email_address="a@x.io")
        with pytest.raises(InvalidGroupError):
            await easify.contacts.create(group_id=9999, first_name="A", email_address="a@x.io")
    assert not unknown.value.maybe_sent


async def test_the_sandbox_validates_a_raw_contact() -> None:
    """Sent raw, a long first name, no phone nor email, a phone without code are 422s."""
    sandbox = Sandbox()
    async with sandbox, raw_client(sandbox, "in-process") as client:
        long = await client.post("contacts/create", json={"group_id": 1, "first_name": "x" * 21})
        bare = await client.post("contacts/create", json={"group_id": 1, "first_name": "A"})
        no_code = await client.post(
            "contacts/create", json={"group_id": 1, "first_name": "A", "phone_number": "3151350000"}
        )
        missing = await client.request("DELETE", "contacts/delete", json={})
    assert [r.status_code for r in (long, bare, no_code, missing)] == [422, 422, 422, 422]
    assert "first_name" in long.json()["errors"]
    assert "country_code" in no_code.json()["errors"]
    assert missing.json()["message"] == "The contact id field is required."


@pytest.mark.parametrize(
    "kwargs",
    [
        {"first_name": "", "email_address": "a@x.io"},
        {"first_name": "x" * 21, "email_address": "a@x.io"},
        {"first_name": "A", "last_name": "y" * 21, "email_address": "a@x.io"},
        {"first_name": "A"},
        {"first_name": "A", "email_address": "not-an-email"},
        {"first_name": "A", "phone_number": "3151350000"},
        {"first_name": "A", "phone_number": "12345", "country_code": "+1"},
        {"first_name": "A", "phone_number": "+447700900123"},
        {"first_name": "A", "email_address": "a@x.io", "country_code": "+1"},
    ],
)
async def test_bad_contacts_fail_before_any_request(kwargs: dict[str, Any]) -> None:
    """Each broken documented rule is an ArgumentError and nothing is sent."""
    sent: list[httpx.Request] = []
    async with recording_client(sent) as easify:
        with pytest.raises(ArgumentError):
            await easify.contacts.create(group_id=1, **kwargs)
        with pytest.raises(ArgumentError):
            await easify.contacts.update(1, **kwargs)
    assert sent == []


async def test_a_uk_number_is_refused_for_contacts() -> None:
    """+44, which sms.send takes, is not a documented contact country."""
    async with recording_client([]) as e:
        with pytest.raises(UnsupportedCountryError):
            await e.contacts.create(group_id=1, first_name="A", phone_number="+447700900123")


_TEXT = st.none() | st.text(max_size=25)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first_name=st.text(max_size=25),
    last_name=_TEXT,
    phone_number=_TEXT | st.sampled_from(["+13151350000", "3151350000", "501234567"]),
    email_address=_TEXT | st.just("a@x.io"),
    country_code=st.none() | st.sampled_from(["+1", "+972", "+44", "1", "x"]),
)
async def test_any_contact_input_is_a_request_or_an_argument_error(
    first_name: str,
    last_name: str | None,
    phone_number: str | None,
    email_address: str | None,
    country_code: str | None,
) -> None:
    """Whatever the fields, the sandbox gets a valid request or the caller an ArgumentError."""
    sandbox = Sandbox()
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        group = (await easify.contact_groups.list()).items[0]
        try:
            await easify.contacts.create(
                group_id=group.id, first_name=first_name, last_name=last_name,
                phone_number=phone_number, email_address=email_address,
                country_code=country_code,
            )  # fmt: skip
        except ArgumentError:
            return
        except APIError as exc:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"a request the server refused: {exc!r}")


@pytest.mark.parametrize(
    ("call", "limit"),
    [
        (lambda e, n: e.contacts.create(group_id=1, first_name="A", email_address="a@x.io"), 15),
        (lambda e, n: e.contacts.list(limit=5), 60),
    ],
)
async def test_contact_endpoints_are_throttled_at_their_limits(
    call: Callable[[AsyncEasify, int], Any], limit: int
) -> None:
    """Without client-side limits, the sandbox answers 429 past 15/min creates, 60/min lists."""
    await assert_throttled_at(call, limit)
