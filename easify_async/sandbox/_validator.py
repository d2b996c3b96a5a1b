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

Examples:
    >>> rules = {"sms_id": [required()]}
    >>> validate(rules, {}).errors
    {'sms_id': ['The sms id field is required.']}
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    "after_or_equal",
    "array",
    "at_least",
    "boolean",
    "date_format",
    "email",
    "file",
    "file_or_url",
    "in_",
    "integer",
    "is_boolean",
    "json_object",
    "max_chars",
    "max_items",
    "required",
    "required_with",
    "required_without",
    "rule",
    "string",
    "timezone",
    "url",
    "validate",
    "zero_or_one",
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
    """Check ``fields`` against ``rules``; ``None`` when everything passes.

    A rule key ``name.*`` checks each item of the array ``name`` as ``name.0``,
    ``name.1``... (nothing when ``name`` is not an array), named in messages as written.
    """
    errors: dict[str, list[str]] = {}
    first_summary: str | None = None
    for key, value, display, field_rules in _attributes(rules, fields):
        for each in field_rules:
            if not each.implicit and value is None:
                continue
            if each.check(value, fields):
                continue
            message = each.message.replace(":attribute", display)
            if message not in errors.setdefault(key, []):
                errors[key].append(message)
                if first_summary is None:
                    first_summary = (each.summary or message).replace(":attribute", display)
            if each.implicit:
                break
    if not errors:
        return None
    assert first_summary is not None
    more = sum(len(messages) for messages in errors.values()) - 1
    if more:
        first_summary += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return Failed(errors, first_summary)


def _attributes(
    rules: Rules, fields: Mapping[str, Any]
) -> Iterator[tuple[str, Any, str, Sequence[Rule]]]:
    """``(key, value, display name, rules)`` per attribute, wildcards expanded in place."""
    for name, field_rules in rules.items():
        if not name.endswith(".*"):
            yield name, fields.get(name), _display(name), field_rules
            continue
        base = name[:-2]
        items = fields.get(base)
        if isinstance(items, list):
            for index, item in enumerate(items):
                # Laravel names an expanded attribute as it is, underscores and all.
                yield f"{base}.{index}", item, f"{base}.{index}", field_rules


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
        parsed = _parsed(value, python_format)
        return parsed is not None and parsed.strftime(python_format) == value

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


def required_with(other: str) -> Rule:
    """``required_with:other``."""
    return Rule(
        lambda value, fields: _present(value) or not _present(fields.get(other)),
        f"The :attribute field is required when {_display(other)} is present.",
        implicit=True,
    )


def array() -> Rule:
    """``array``: a JSON array or object, or PHP's ``name[]`` fields."""
    return Rule(
        lambda value, _: isinstance(value, (list, dict)), "The :attribute field must be an array."
    )


def max_items(limit: int) -> Rule:
    """``max:N`` on an array: at most N items."""
    return Rule(
        lambda value, _: not isinstance(value, (list, dict)) or len(value) <= limit,
        f"The :attribute field must not have more than {limit} items.",
    )


def at_least(minimum: int) -> Rule:
    """``min:N`` on an ``integer`` field (a value that is no integer passes: the
    ``integer`` rule reports it)."""

    def check(value: Any, _: Mapping[str, Any]) -> bool:
        number = filter_int(value)
        return number is None or number >= minimum

    return Rule(check, f"The :attribute field must be at least {minimum}.")


def is_boolean(value: Any) -> bool:
    """Laravel's ``boolean``: ``true``, ``false``, ``0``, ``1``, ``"0"``, ``"1"`` (never the
    strings ``"true"``/``"false"``)."""
    return value in ("0", "1") or (type(value) in (bool, int) and value in (0, 1))


def boolean() -> Rule:
    """``boolean`` (see `is_boolean`)."""
    return Rule(lambda value, _: is_boolean(value), "The :attribute field must be true or false.")


def url() -> Rule:
    """``url`` (``Str::isUrl``'s shape)."""
    return Rule(
        lambda value, _: isinstance(value, str) and _URL.fullmatch(value) is not None,
        "The :attribute field must be a valid URL.",
    )


def after_or_equal(other: str, php_format: str) -> Rule:
    """``after_or_equal:other`` on a ``date_format`` field: passes when ``other`` is
    absent, fails when it is no date in that format (as Laravel 10+ compares)."""
    python_format = _PHP_FORMATS[php_format]

    def check(value: Any, fields: Mapping[str, Any]) -> bool:
        first, second = _parsed(value, python_format), fields.get(other)
        if second is None:
            return True
        later = _parsed(second, python_format)
        return first is not None and later is not None and first >= later

    return Rule(check, f"The :attribute field must be a date after or equal to {_display(other)}.")


def _parsed(value: Any, python_format: str) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.strptime(value, python_format)
    except ValueError:
        return None


def file() -> Rule:
    """``file``: an upload."""
    return Rule(
        lambda value, _: isinstance(value, UploadFile), "The :attribute field must be a file."
    )


def zero_or_one() -> list[Rule]:
    """``integer|in:0,1``: the docs' "integer ... 1 for enable, Default 0" flags."""
    return [integer(), in_("0", "1")]
