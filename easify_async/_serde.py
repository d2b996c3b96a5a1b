"""The one cattrs converter of the SDK, with every (de)serialisation hook in one place."""

from __future__ import annotations

import ast
import datetime as dt
import enum
import json
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = ["converter", "register_event_hooks", "structure", "unstructure_request"]

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


# -- webhook events -------------------------------------------------------------------

_SMS_EVENT_TIME = "%Y-%m-%d %H:%M:%S"


def _structure_datetime(value: object, _: type) -> dt.datetime:
    # SMS events say "YYYY-MM-DD HH:MM:SS" (no zone given: naive); email events give
    # UNIX seconds, which are UTC by definition.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        return dt.datetime.strptime(value.strip(), _SMS_EVENT_TIME)
    raise TypeError(f"expected a time, got {type(value).__name__}")


def _additional_data(value: object, _: object) -> dict[str, Any] | str | None:
    """A dict where the text can be read as one (JSON, or Easify's single-quoted form)."""
    if value is None or isinstance(value, dict):
        return value
    text = str(value)
    # Easify's form is JSON with single quotes: swapping the quotes reads it at JSON speed;
    # literal_eval (no code runs) is the slow fallback for quotes inside values.
    first = _swapped_quotes if text.startswith("{'") else json.loads
    for parse in (first, json.loads, _swapped_quotes, ast.literal_eval):
        try:
            parsed = parse(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(parsed, dict):
            return parsed
    return text


def _swapped_quotes(text: str) -> Any:
    return json.loads(text.replace("'", '"'))


def _category(value: object, _: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise TypeError(f"expected a category list, got {type(value).__name__}")


def register_event_hooks(*event_classes: type) -> None:
    """Structure webhook events: ``smtp-id`` renamed, unknown keys kept in ``extra``."""
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    for cls in event_classes:
        fields = {a.name for a in attrs.fields(cls)}
        overrides: dict[str, Any] = {"_cattrs_forbid_extra_keys": False}
        if "smtp_id" in fields:
            overrides["smtp_id"] = override(rename="smtp-id")
        if "additional_data" in fields:
            overrides["additional_data"] = override(struct_hook=_additional_data)
        if "category" in fields:
            overrides["category"] = override(struct_hook=_category)
        base: Any = make_dict_structure_fn(cls, converter, **overrides)
        known = {f.replace("_", "-") if f == "smtp_id" else f for f in fields} - {"extra"}
        converter.register_structure_hook(cls, _with_extra(base, known))


def _with_extra(base: Any, known: set[str]) -> Any:
    def structure(data: object, cls: type) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        extra = {k: v for k, v in data.items() if k not in known}
        return base({**data, "extra": extra}, cls)

    return structure
