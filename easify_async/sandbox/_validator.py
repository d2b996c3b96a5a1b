"""A Laravel-style validator: rules per field, every failure listed, Laravel's summary.

What it keeps of Laravel's ``Validator`` (10+, English messages):

- fields are checked in the order of the rule table, each field's rules in order, and
  every failing rule adds its message (a field can have several);
- once an implicit rule (``required``, ``required_without``) fails, that field's other
  rules are skipped; every other rule skips an absent or null value (the sandbox's
  optional fields are all ``nullable``);
- a message is added to a field only once (Laravel's ``MessageBag`` is unique per key);
- the reply's ``message`` is the first message plus " (and N more error[s])", N counting
  every other message (``ValidationException::summarize``).

Example:
    >>> rules = {"sms_id": [required()]}
    >>> validate(rules, {}).errors
    {'sms_id': ['The sms id field is required.']}
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from attrs import frozen
from starlette.datastructures import UploadFile

from ._php import filter_int, loose_equals, php_string
from ._timezones import is_php_timezone

__all__ = [
    "Failed",
    "Rule",
    "Rules",
    "date_format",
    "email",
    "file_or_url",
    "in_",
    "integer",
    "json_object",
    "max_chars",
    "required",
    "required_without",
    "rule",
    "string",
    "timezone",
    "validate",
]

Check = Callable[[Any, Mapping[str, Any]], bool]


@frozen
class Rule:
    """One Laravel rule: a check and the message template (``:attribute`` and friends).

    Attributes:
        check: ``(value, all fields) -> passes``.
        message: the message, ``:attribute`` replaced by the field's display name.
        implicit: runs on an absent value, and a failure stops the field's other rules.
        summary: the top-level ``message`` when this failure comes first, where the
            docs show one that differs from the field's own message.
    """

    check: Check
    message: str
    implicit: bool = False
    summary: str | None = None

    def says(self, message: str, *, summary: str | None = None) -> Rule:
        """The same rule with a custom message (Laravel's ``messages()``)."""
        return attrs.evolve(self, message=message, summary=summary)


Rules = Mapping[str, Sequence[Rule]]


@frozen
class Failed:
    """A failed validation: Laravel's ``errors`` bag and its summary ``message``."""

    errors: dict[str, list[str]]
    message: str


def validate(rules: Rules, fields: Mapping[str, Any]) -> Failed | None:
    """Check ``fields`` against ``rules``; ``None`` when everything passes."""
    errors: dict[str, list[str]] = {}
    first_summary: str | None = None
    for name, field_rules in rules.items():
        value = fields.get(name)
        for each in field_rules:
            if not each.implicit and value is None:
                continue
            if each.check(value, fields):
                continue
            message = each.message.replace(":attribute", _display(name))
            if message not in errors.setdefault(name, []):
                errors[name].append(message)
                if first_summary is None:
                    first_summary = each.summary or message
            if each.implicit:
                break
    if not errors:
        return None
    assert first_summary is not None
    more = sum(len(messages) for messages in errors.values()) - 1
    if more:
        first_summary += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return Failed(errors, first_summary)


def _display(name: str) -> str:
    """Laravel's displayable attribute name: ``from_number`` -> ``from number``."""
    return name.replace("_", " ")


def rule(check: Check, message: str) -> Rule:
    """A custom rule (Laravel's closure or ``Rule`` object)."""
    return Rule(check, message)


def _present(value: Any) -> bool:
    # Laravel's validateRequired, on input already trimmed ("" is null by then).
    if value is None:
        return False
    if isinstance(value, (list, dict)):
        return bool(value)
    return not isinstance(value, str) or bool(value.strip())


def required() -> Rule:
    """``required``."""
    return Rule(lambda value, _: _present(value), "The :attribute field is required.", True)


def required_without(other: str) -> Rule:
    """``required_without:other``."""
    return Rule(
        lambda value, fields: _present(value) or _present(fields.get(other)),
        f"The :attribute field is required when {_display(other)} is not present.",
        implicit=True,
    )


def integer() -> Rule:
    """``integer`` (PHP's ``FILTER_VALIDATE_INT``: no ``"01"``, no ``"1.5"``, ``true`` is 1)."""
    return Rule(
        lambda value, _: filter_int(value) is not None, "The :attribute field must be an integer."
    )


def in_(*values: str) -> Rule:
    """``in:a,b``: the value as a PHP string, loosely equal to one of them (``"1" == "+1"``)."""

    def check(value: Any, _: Mapping[str, Any]) -> bool:
        if isinstance(value, (list, dict)):
            return False
        text = php_string(value)
        return any(loose_equals(text, allowed) for allowed in values)

    return Rule(check, "The selected :attribute is invalid.")


def string() -> Rule:
    """``string``."""
    return Rule(lambda value, _: isinstance(value, str), "The :attribute field must be a string.")


def max_chars(limit: int) -> Rule:
    """``max:N`` on a string: at most N characters (``mb_strlen``)."""
    return Rule(
        lambda value, _: not isinstance(value, str) or len(value) <= limit,
        f"The :attribute field must not be greater than {limit} characters.",
    )


# An RFC 5322 address as egulias' RFCValidation (Laravel's default ``email``) reads it:
# a dot-atom or quoted local part, and a domain that needs no dot (user@localhost).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]+"
_LOCAL = rf'(?:{_ATEXT}(?:\.{_ATEXT})*|"(?:[^"\\\r\n]|\\.)*")'
_LABEL = (
    r"[A-Za-z0-9\u0080-\U0010ffff](?:[A-Za-z0-9_\-\u0080-\U0010ffff]*[A-Za-z0-9\u0080-\U0010ffff])?"
)
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[^\[\]\\\s]*\])"
_EMAIL = re.compile(rf"{_LOCAL}@{_DOMAIN}")


def _is_email(value: Any) -> bool:
    """Whether Laravel's ``email`` rule passes ``value``."""
    return isinstance(value, str) and _EMAIL.fullmatch(value) is not None


def email() -> Rule:
    """``email`` (``email:rfc``)."""
    return Rule(
        lambda value, _: _is_email(value), "The :attribute field must be a valid email address."
    )


# Str::isUrl's shape: scheme://, optional user info, a host (names, IPv4, [IPv6]), an
# optional port, then path, query and fragment without spaces.
_URL = re.compile(
    r"[a-z][a-z0-9+.\-]*://(?:[^\s/?#@]+@)?"
    r"(?:[\w\-]+(?:\.[\w\-]+)*\.?|\[[0-9a-f:.]+\])"
    r"(?::[0-9]+)?(?:/[^\s?#]*)?(?:\?[^\s#]*)?(?:#\S*)?",
    re.IGNORECASE,
)


def _url_or_file(value: Any) -> bool:
    return isinstance(value, UploadFile) or (
        isinstance(value, str) and _URL.fullmatch(value) is not None
    )


def file_or_url(*, many: bool = False) -> Rule:
    """An uploaded file, or a URL (``url``); with ``many``, an array of them too."""

    def check(value: Any, _: Mapping[str, Any]) -> bool:
        items = value if many and isinstance(value, list) else [value]
        return bool(items) and all(_url_or_file(item) for item in items)

    return Rule(check, "The :attribute field must be a valid URL.")


_PHP_FORMATS = {"Y-m-d H:i:s": "%Y-%m-%d %H:%M:%S", "Y-m-d": "%Y-%m-%d"}


def date_format(php_format: str) -> Rule:
    """``date_format:F``: parses with F and formats back to the same text, as PHP checks."""
    python_format = _PHP_FORMATS[php_format]

    def check(value: Any, _: Mapping[str, Any]) -> bool:
        if not isinstance(value, str):
            return False
        try:
            parsed = dt.datetime.strptime(value, python_format)
        except ValueError:
            return False
        return parsed.strftime(python_format) == value

    return Rule(check, f"The :attribute field must match the format {php_format}.")


def timezone() -> Rule:
    """``timezone``: one of PHP's ``timezone_identifiers_list()``, spelled exactly."""
    return Rule(
        lambda value, _: is_php_timezone(value), "The :attribute field must be a valid timezone."
    )


def _json_object(value: Any) -> bool:
    if isinstance(value, dict) or value == []:
        return True  # PHP decodes {} to an empty array, the same as []
    if not isinstance(value, str):
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def json_object() -> Rule:
    """A JSON object: an object in a JSON body, or text that decodes to one (multipart)."""
    return Rule(
        lambda value, _: _json_object(value), "The :attribute field must be a valid JSON string."
    )
