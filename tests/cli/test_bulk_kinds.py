"""The bulk commands' row kinds come from the SDK's bulk models, not from a second list."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from attrs import frozen

from easify_async._bulk import (
    BulkResult,
    ContactResult,
    EmailMessage,
    EmailResult,
    NewContact,
    SmsMessage,
    SmsResult,
)
from easify_async._cli._contacts import _contact_kind
from easify_async._cli._email import _email_kind
from easify_async._cli._rows import BulkKind
from easify_async._cli._sms import _sms_kind


@pytest.mark.parametrize(
    ("kind", "item", "result"),
    [
        (_sms_kind, SmsMessage, SmsResult),
        (_email_kind, EmailMessage, EmailResult),
        (_contact_kind, NewContact, ContactResult),
    ],
)
def test_a_kind_has_a_column_per_field_of_its_item_model(
    kind: Any, item: type[Any], result: type[BulkResult]
) -> None:
    """Every field but ``key`` is a column, in the model's order; the id is the result's."""
    built: BulkKind = kind()
    assert built.make is item
    assert list(built.fields) == [f.name for f in attrs.fields(item) if f.name != "key"]
    assert built.id_name in attrs.fields_dict(result)


def test_the_kinds_read_their_cells_as_before() -> None:
    """What the hand-written kinds said, now derived from the models' fields and types."""
    sms, email, contact = _sms_kind(), _email_kind(), _contact_kind()
    assert (sms.required, sms.flags, sms.json_fields, sms.integers, sms.id_name) == (
        ("from_number", "to_number"),
        ("force_send",),
        (),
        (),
        "sms_id",
    )
    assert sms.optional == ("message", "country_code", "media", "lead_id", "force_send")
    assert (email.required, email.flags, email.json_fields, email.integers, email.id_name) == (
        ("sender", "receiver", "subject"),
        ("enable_unsubscribe",),
        ("additional_data",),
        (),
        "email_id",
    )
    assert (contact.required, contact.flags, contact.integers, contact.id_name) == (
        ("group_id", "first_name"),
        (),
        ("group_id",),
        "contact_id",
    )


@frozen
class _Item:
    name: str
    count: int | None = None
    urgent: bool = False
    extra: dict[str, Any] | None = None
    key: str | None = None


@frozen(kw_only=True)
class _Result(BulkResult):
    item: _Item
    thing_id: str | None = None


def test_a_new_field_of_an_item_model_is_a_column_read_by_its_type() -> None:
    """A field added to a model needs no second edit in the CLI."""
    kind = BulkKind.of(
        _Item,  # type: ignore[arg-type] # a stand-in for the SDK's item models
        _Result,
        noun="things",
        one="thing",
        validate=lambda **_: None,
        rate=lambda limits: limits.sms_send,
        send_many=lambda easify: easify.sms.send_many,
    )
    assert (kind.required, kind.optional) == (("name",), ("count", "urgent", "extra"))
    assert (kind.flags, kind.integers, kind.json_fields) == (("urgent",), ("count",), ("extra",))
    assert kind.id_name == "thing_id"
