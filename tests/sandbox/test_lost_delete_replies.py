"""A delete whose reply is lost is retried; a retry told the id is unknown is a success,
but only when an earlier attempt may have acted (in process and over uvicorn)."""

from __future__ import annotations

import pytest

from easify_async import InvalidContactError, InvalidGroupError
from easify_async.sandbox import DEMO_TOKEN, Faults, Sandbox
from tests.sandbox.conftest import Connect

pytestmark = pytest.mark.anyio


async def test_a_group_deleted_by_the_attempt_whose_reply_was_lost_is_deleted(
    connect: Connect,
) -> None:
    """The first attempt deletes and its connection drops; the retry's 400 means done."""
    sandbox = Sandbox(faults=Faults())
    async with connect(sandbox) as easify:
        group = await easify.contact_groups.create(name="VIP")
        sandbox.faults.queue("drop")
        await easify.contact_groups.delete(group.id)
        names = [g.name async for g in easify.contact_groups.list()]
    assert "VIP" not in names


async def test_a_contact_deleted_by_the_attempt_whose_reply_was_lost_is_deleted(
    connect: Connect,
) -> None:
    """The same for a contact: the call returns and the contact is gone, once."""
    sandbox = Sandbox(faults=Faults())
    async with connect(sandbox) as easify:
        group = await easify.contact_groups.create(name="VIP")
        ann = await easify.contacts.create(
            group_id=group.id, first_name="Ann", phone_number="+13151350000"
        )
        sandbox.faults.queue("drop")
        await easify.contacts.delete(ann.id)
    assert sandbox.contacts.contacts_of(DEMO_TOKEN) == []
    assert group.id in {g.id for g in sandbox.contacts.groups[DEMO_TOKEN]}


async def test_an_unknown_id_with_no_lost_attempt_is_still_an_error(connect: Connect) -> None:
    """Nothing was lost: "Invalid ... id" is the typed 400, as documented."""
    async with connect(Sandbox()) as easify:
        with pytest.raises(InvalidGroupError):
            await easify.contact_groups.delete(999)
        with pytest.raises(InvalidContactError):
            await easify.contacts.delete(999)
