"""Bulk items take their send method's required arguments positionally, in the same order."""

from __future__ import annotations

import inspect

import pytest

from easify_async.bulk import EmailMessage, EmailV3Message, SmsMessage


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
