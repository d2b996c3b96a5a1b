"""The one cattrs converter of the SDK, with every (de)serialisation hook in one place."""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import json
import logging
import re
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = [
    "converter",
    "parse_api_time",
    "register_event_hooks",
    "register_renames",
    "register_with_extra",
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
# events parse theirs through their own hooks (register_event_hooks).
converter.register_structure_hook_func(
    _is_optional_datetime, lambda value, _: parse_api_time(value)
)


def register_renames(cls: type, **renames: str) -> None:
    """Structure ``cls`` with some attributes read from other keys (the docs' typos)."""
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in renames.items()}
    converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **overrides))


def register_with_extra(cls: type, **renames: str) -> None:
    """Like `register_renames`, and the keys ``cls`` does not know go, as sent, into its
    ``extra`` mapping (for items the docs show only in part)."""
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in renames.items()}
    known = {renames.get(a.name, a.name) for a in attrs.fields(cls) if a.name != "extra"}
    base: Callable[[Any, type], Any] = make_dict_structure_fn(
        cls, converter, extra=override(omit=True), **overrides
    )

    def structure_with_extra(data: Any, _: type) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        extra = {key: value for key, value in data.items() if key not in known}
        return attrs.evolve(base(data, cls), extra=extra)

    converter.register_structure_hook(cls, structure_with_extra)


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


# -- webhook events (owned by easify_async.webhooks) ----------------------------------
# A hand-rolled loop per event class instead of cattrs' generated function: an email batch
# is 11+ events parsed on every delivery, and this halves the time (bench_webhooks.py).
# Field types still resolve to this converter's hooks; only str, optional and enum fields
# take a shortcut.

_SMS_EVENT_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_RENAMED = {"smtp_id": "smtp-id"}
_json_decoder = json.JSONDecoder()


def _structure_datetime(value: object, _: type) -> dt.datetime:
    # SMS events say "YYYY-MM-DD HH:MM:SS" (no zone given: naive); email events give
    # UNIX seconds, which are UTC by definition.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _utc(value)
    if isinstance(value, str) and _SMS_EVENT_TIME.fullmatch(value):
        return dt.datetime.fromisoformat(value)
    raise TypeError(f"expected a UNIX time or YYYY-MM-DD HH:MM:SS, got {value!r:.40}")


@functools.lru_cache(maxsize=1024)
def _utc(timestamp: float) -> dt.datetime:
    # A batch's events share a few timestamps; datetimes are immutable, so safe to share.
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)


def _additional_data(value: object) -> dict[str, Any] | str | None:
    """A dict where the text can be read as one (JSON, or Easify's single-quoted form)."""
    if value is None or isinstance(value, dict):
        return value
    text = str(value).strip()
    # Easify's form is JSON with single quotes: swapping the quotes reads it at JSON speed,
    # unless a backslash or a double quote could make the swap change a value.
    if text.startswith("{'") and "\\" not in text and '"' not in text:
        swapped = _json_dict(text.replace("'", '"'))
        if swapped is not None:
            return swapped
    parsed = _json_dict(text)
    if parsed is None:
        parsed = _python_dict(text)
    return str(value) if parsed is None else parsed


def _json_dict(text: str) -> dict[str, Any] | None:
    # raw_decode skips json.loads' wrapper: a third of the cost on texts this short.
    try:
        parsed, end = _json_decoder.raw_decode(text)
    except (ValueError, RecursionError):
        return None
    return parsed if end == len(text) and isinstance(parsed, dict) else None


def _python_dict(text: str) -> dict[str, Any] | None:
    # literal_eval runs no code; it reads quotes inside values and True/None.
    try:
        parsed = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(parsed, dict) and all(isinstance(key, str) for key in parsed):
        return parsed
    return None


def _category(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v if v.__class__ is str else _text(v) for v in value]
    raise TypeError(f"expected a category list, got {type(value).__name__}")


def _text(value: object) -> str:
    if value.__class__ is str:
        return value
    return _structure_str(value, str)


def _optional_text(value: object) -> str | None:
    if value is None or value.__class__ is str:
        return value
    return _structure_str(value, str)


def _field_hook(tp: Any) -> Callable[[Any], Any]:
    """A one-argument structure function for a field type, from this converter."""
    if tp is str:
        return _text
    args = typing.get_args(tp)
    if len(args) == 2 and type(None) in args:
        inner_type = args[0] if args[1] is type(None) else args[1]
        if inner_type is str:
            return _optional_text
        inner = _field_hook(inner_type)
        return lambda value: None if value is None else inner(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum) and issubclass(tp, str):
        members = tp._value2member_map_

        def member(value: object) -> Any:
            found = members.get(value) if value.__class__ is str else None
            return found if found is not None else _structure_str(value, tp)

        return member
    hook = converter.get_structure_hook(tp)
    return lambda value: hook(value, tp)


_TEXT_HOOKS = frozenset({_text, _optional_text})
_SPECIAL_FIELDS: dict[str, Callable[[Any], Any]] = {
    "additional_data": _additional_data,
    "category": _category,
}


def register_event_hooks(*event_classes: type) -> None:
    """Structure webhook events: ``smtp-id`` renamed, unknown keys kept in ``extra``."""
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    for cls in event_classes:
        converter.register_structure_hook(cls, _event_structure_fn(cls))


def _event_structure_fn(cls: type) -> Callable[[object, type], Any]:
    attrs.resolve_types(cls)
    # JSON key -> (attribute name, structure function), built once per class.
    fields = {
        _RENAMED.get(a.name, a.name): (a.name, _SPECIAL_FIELDS.get(a.name) or _field_hook(a.type))
        for a in attrs.fields(cls)
        if a.name != "extra"
    }

    def structure_event(data: object, _: type) -> Any:
        if data.__class__ is not dict:
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            field = fields.get(key)
            if field is None:
                extra[key] = value
            elif value.__class__ is str and field[1] in _TEXT_HOOKS:
                values[field[0]] = value  # most fields: text as sent, no call needed
            else:
                values[field[0]] = field[1](value)
        return cls(**values, extra=extra)

    return structure_event
