"""Bulk items are their send method's parameter list: same fields, kinds, defaults, types."""

from __future__ import annotations

import inspect
import os
import re
import typing
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from attrs import frozen

from easify_async import ArgumentError
from easify_async._endpoints.contacts import Contacts
from easify_async._endpoints.email import Email
from easify_async._endpoints.sms import Sms, encode_sms_send
from easify_async._endpoints.v3 import EmailV3, encode_email_v3_send
from easify_async.bulk import EmailMessage, EmailV3Message, NewContact, SmsMessage


@pytest.mark.parametrize(
    ("item", "positional"),
    [
        (SmsMessage("3152930000", "+13151350000", message="Hi"), ("from_number", "to_number")),
        (EmailMessage("qa@x.example", "a@x.example", "S"), ("sender", "receiver", "subject")),
        (EmailV3Message("qa@x.example", ("a@x.example",), "S"), ("sender", "receiver", "subject")),
    ],
    ids=["sms", "email", "email-v3"],
)
def test_required_fields_are_positional_options_keyword_only(
    item: object, positional: tuple[str, ...]
) -> None:
    """``SmsMessage(from, to, message=...)`` as ``sms.send(from, to, message=...)``."""
    parameters = inspect.signature(type(item)).parameters.values()
    assert tuple(p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD) == positional
    assert all(p.default is not p.empty for p in parameters if p.kind is p.KEYWORD_ONLY)


# --- One parameter list per call: the method takes exactly its item's fields ---------


def _item_parameters(item: type[Any]) -> list[tuple[str, Any, Any, Any]]:
    """(name, kind, default, evaluated type) of each field but ``key``, in field order."""
    hints = typing.get_type_hints(item, localns={"os": os})  # FileInput quotes os.PathLike
    return [
        (
            field.name,
            inspect.Parameter.KEYWORD_ONLY
            if field.kw_only
            else inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.empty if field.default is attrs.NOTHING else field.default,
            hints[field.name],
        )
        for field in attrs.fields(item)
        if field.name != "key"
    ]


#: What every call takes besides its own parameters (issue 22): not an item's field.
CALL_OPTIONS = inspect.Parameter("options", inspect.Parameter.VAR_KEYWORD)
#: A creating call's idempotency key, not an item's field: a bulk item's key is its
#: journal's (or ledger's) key.
KEY_OPTION = "idempotency_key"


def _method_parameters(method: Callable[..., Any]) -> list[tuple[str, Any, Any, Any]]:
    """(name, kind, default, evaluated type) of each parameter but ``self``, the
    idempotency key and the per-call options (``**options``, the same for every call),
    in order."""
    hints = typing.get_type_hints(method, localns={"os": os})
    parameters = list(inspect.signature(method).parameters.values())
    assert parameters[-1].replace(annotation=inspect.Parameter.empty) == CALL_OPTIONS
    return [
        (p.name, p.kind, p.default, hints[p.name])
        for p in parameters[:-1]
        if p.name not in ("self", KEY_OPTION)
    ]


def _documented_arguments(method: Callable[..., Any]) -> list[str]:
    """The names the docstring's ``Args:`` section describes, in order."""
    lines = inspect.cleandoc(method.__doc__ or "").splitlines()
    start = lines.index("Args:") + 1
    names = []
    for line in lines[start:]:
        if line and not line.startswith(" "):  # the next section
            break
        match = re.match(r" {4}(\w+):", line)
        if match and match.group(1) != KEY_OPTION:
            names.append(match.group(1))
    return names


CALLS = [
    pytest.param(Sms.send, SmsMessage, id="sms.send"),
    pytest.param(Email.send, EmailMessage, id="email.send"),
    pytest.param(EmailV3.send, EmailV3Message, id="v3.email.send"),
    pytest.param(Contacts.create, NewContact, id="contacts.create"),
]


@pytest.mark.parametrize(("method", "item"), CALLS)
def test_a_send_takes_exactly_its_items_fields(method: Callable[..., Any], item: type[Any]) -> None:
    """Same names, order, kinds, defaults and types: the item is the call's parameter list."""
    assert _method_parameters(method) == _item_parameters(item)


@pytest.mark.parametrize(("method", "item"), CALLS)
def test_a_sends_docstring_describes_every_field(
    method: Callable[..., Any], item: type[Any]
) -> None:
    """The method's ``Args:`` names each field of its item (``key`` aside), in order."""
    assert _documented_arguments(method) == [f.name for f in attrs.fields(item) if f.name != "key"]


def test_the_pin_sees_a_field_added_to_one_side() -> None:
    """A field only the item has, or only the method has, breaks the comparison."""

    @frozen
    class Item:
        to: str
        extra: int | None = attrs.field(default=None, kw_only=True)
        key: str | None = attrs.field(default=None, kw_only=True)

    def send(self: object, to: str, *, extra: int | None = None, **options: object) -> None:
        """Send.

        Args:
            to: who.
            extra: more.
        """

    def short(self: object, to: str, **options: object) -> None:
        """Send.

        Args:
            to: who.
        """

    def longer(
        self: object, to: str, *, extra: int | None = None, more: int = 0, **options: object
    ) -> None: ...

    assert _method_parameters(send) == _item_parameters(Item)
    assert _documented_arguments(send) == ["to", "extra"]
    assert _method_parameters(short) != _item_parameters(Item)
    assert _documented_arguments(short) != ["to", "extra"]
    assert _method_parameters(longer) != _item_parameters(Item)


# --- The items take what the methods take -------------------------------------------


def test_an_sms_items_lead_id_may_be_an_int_as_in_send() -> None:
    """``SmsMessage(lead_id=123)`` encodes as ``sms.send(lead_id=123)`` does: "123"."""
    encoded = encode_sms_send(SmsMessage("3152930000", "+13151350000", message="m", lead_id=123))
    assert encoded.json is not None
    assert encoded.json["lead_id"] == "123"


def test_a_v3_items_lists_are_kept_as_tuples() -> None:
    """Lists of addresses and files become tuples: equal to the tuple form, hashable."""
    listed = EmailV3Message(
        "qa@x.example", ["a@x.example"], "S", cc=["c@x.example"], bcc=[], attachment=[b"x"]
    )
    tupled = EmailV3Message(
        "qa@x.example", ("a@x.example",), "S", cc=("c@x.example",), bcc=(), attachment=(b"x",)
    )
    assert listed == tupled
    assert hash(listed) == hash(tupled)
    assert (listed.receiver, listed.attachment) == (("a@x.example",), (b"x",))


def test_an_emails_list_of_attachments_is_kept_as_a_tuple() -> None:
    """``EmailMessage(attachment=[...])`` as ``email.send`` takes it; one file stays one."""
    assert EmailMessage("q@x.example", "a@x.example", "S", attachment=[b"a"]).attachment == (b"a",)
    pair = ("a.txt", b"a")  # one named file, not a list of two
    assert EmailMessage("q@x.example", "a@x.example", "S", attachment=pair).attachment == pair


def test_a_single_string_receiver_stays_a_string_and_is_refused() -> None:
    """The converter does not split "a@x.example" into characters: the encoder refuses it."""
    item = EmailV3Message("qa@x.example", "a@x.example", "S", message="m")
    assert item.receiver == "a@x.example"
    with pytest.raises(ArgumentError, match="receiver"):
        encode_email_v3_send(item)
