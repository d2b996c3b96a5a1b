"""The one cattrs converter of the SDK, with the core's (de)serialisation hooks.

Rooms with their own formats register their hooks on it from their room (the webhook
events: ``easify_async.webhooks._parse``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import typing
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = [
    "converter",
    "parse_api_time",
    "register_renames",
    "structure",
    "unstructure_request",
]

# Plain errors, not exception groups: faster structuring; messages still name the field.
converter = cattrs.Converter(forbid_extra_keys=False, detailed_validation=False)


def _structure_str(value: object, cls: type[str]) -> str:
    # The API sends ids as strings in one reply and ints in another (spec §1.7); take both,
    # but never turn a null or an object into "None" / "{...}" the way str() would.
    if cls is str and value.__class__ is str:
        return value  # the common case, kept cheap
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    # Registered on `str`, this hook also receives str-based enums such as SmsStatus.
    return cls(value) if issubclass(cls, enum.Enum) else str(value)


converter.register_structure_hook(str, _structure_str)

# The API's reply times: "07-12-2024 11:03:12 AM", no zone (the account's, presumably).
_API_TIME = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([AP]M)")


def parse_api_time(value: object) -> dt.datetime | None:
    """A naive datetime from the API's ``MM-DD-YYYY hh:mm:ss AM`` text.

    ``None`` for a missing, empty or unreadable time: one odd timestamp must not fail a
    whole page of records (the raw reply is still in the log at DEBUG level).
    """
    if value is None or value == "":
        return None
    match = _API_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        month, day, year, hour, minute, second, half = match.groups()
        hour12 = int(hour)
        if 1 <= hour12 <= 12:
            hour24 = hour12 % 12 + (12 if half == "PM" else 0)
            try:
                return dt.datetime(
                    int(year), int(month), int(day), hour24, int(minute), int(second)
                )
            except ValueError:
                pass
    logging.getLogger("easify_async").debug("unreadable time in a reply: %r", value)
    return None


def _is_optional_datetime(tp: Any) -> bool:
    return set(typing.get_args(tp)) == {dt.datetime, type(None)}


# Only `datetime | None` fields, which is how every API model types its times; webhook
# events parse theirs through their own hooks (easify_async.webhooks._parse).
converter.register_structure_hook_func(
    _is_optional_datetime, lambda value, _: parse_api_time(value)
)


def register_renames(cls: type, **renames: str) -> None:
    """Structure ``cls`` with some attributes read from other keys (the docs' typos)."""
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in renames.items()}
    converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **overrides))


# Requests: booleans travel as 1/0 (Laravel's `boolean` rule refuses "true"), and an
# unset option is left out rather than sent as null.
_request_converter = converter.copy()
_request_converter.register_unstructure_hook(bool, int)
_request_converter.register_unstructure_hook_factory(
    attrs.has,
    lambda cls: make_dict_unstructure_fn(cls, _request_converter, _cattrs_omit_if_default=True),
)


def structure(data: Any, cls: type[Any]) -> Any:
    """Structure ``data`` into ``cls`` with the SDK's converter."""
    return converter.structure(data, cls)


def unstructure_request(request: object) -> dict[str, Any]:
    """The API fields of an attrs request model, options left unset omitted."""
    result: dict[str, Any] = _request_converter.unstructure(request)
    return result
