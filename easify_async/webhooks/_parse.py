"""Reading a verified body: strict JSON, then typed events, refusals naming the field.

The structure functions are registered on the SDK's one converter from here: this
(de)serialisation is the webhooks' own, so it lives in their room.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any

import attrs

from .._serde import converter
from ._errors import MalformedPayloadError
from ._events import EmailEvent, SmsEvent

__all__ = ["JsonError", "loads_strict", "structure_event"]


class JsonError(ValueError):
    """The bytes are not strict JSON; the message says why, in JSON's terms."""


def loads_strict(raw: bytes) -> Any:
    """Decode JSON refusing what parsers disagree on: duplicate keys, NaN and Infinity.

    Which of two equal keys "wins" differs between parsers (a classic way to make a
    signed body read differently downstream), and PHP never writes either form.

    Raises:
        JsonError: the body is not strict JSON.
    """
    try:
        # As json.loads reads bytes, without building a decoder per call as it would here.
        return _strict_decoder.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except JsonError:
        raise
    except (ValueError, RecursionError):
        # json's own messages give line and column, but also Python's words for bytes
        # it cannot decode: say it in one phrase.
        raise JsonError("the body is not JSON") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonError(f"duplicate key {_shown(key)} in a JSON object")
            seen.add(key)
    return obj


def _no_constant(name: str) -> Any:
    raise JsonError(f"{name} is not JSON")


_strict_decoder = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)


def _kind(value: object) -> str:
    """A value's JSON type, in words: never a Python type name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _shown(value: object) -> str:
    """A scalar as JSON, cut to 40 characters; an array or object by its type."""
    if isinstance(value, (dict, list)):
        return _kind(value)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


class _Refused(Exception):
    """A field's value is of the wrong shape; ``expected`` says what it should be."""

    def __init__(self, expected: str) -> None:
        self.expected = expected


def _text(value: object) -> str:
    # The API sends ids as strings in one reply and ints in another (spec §1.7).
    if value.__class__ is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Refused("a string")


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _optional_int(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _Refused("an integer")


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object], Any]:
    members = cls._value2member_map_

    def member(value: object) -> Any:
        found = members.get(value) if value.__class__ is str else None
        if found is not None:
            return found
        if not isinstance(value, str):
            raise _Refused("a string")
        return cls(value)  # an open enum keeps a value it does not list

    return member


_SMS_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _sms_time(value: object) -> dt.datetime | None:
    # "YYYY-MM-DD HH:MM:SS", no zone given: naive (see the webhook guide on what that means).
    if value is None:
        return None
    if isinstance(value, str) and _SMS_TIME.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass  # a month 13 or a 30 February
    raise _Refused("a time as YYYY-MM-DD HH:MM:SS")


def _unix_time(value: object) -> dt.datetime | None:
    if value is None:
        return None
    # An int is tried as it is: math.isfinite would raise on one too large for a float.
    if value.__class__ is int or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ):
        try:
            return _utc(value)
        except (OverflowError, OSError, ValueError):
            pass  # beyond the year 9999
    raise _Refused("a UNIX time in seconds")


@functools.lru_cache(maxsize=1024)
def _utc(timestamp: float) -> dt.datetime:
    # A batch's events share a few timestamps; datetimes are immutable, so safe to share.
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)


def _category(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        try:
            return [v if v.__class__ is str else _text(v) for v in value]
        except _Refused:
            pass
    raise _Refused("a string or an array of strings")


_json_decoder = json.JSONDecoder()


def _additional_data(value: object) -> dict[str, Any] | str | None:
    """A dict where the text can be read as one (JSON, or Easify's single-quoted form)."""
    if value is None or isinstance(value, dict):
        return value
    text = str(value).strip()
    if len(text) <= _CACHED_TEXT:
        shared, final = _cached_reading(text)
        if final:
            # The cached dict is shared: each event gets its own (a shallow copy is a
            # whole one, its values being scalars).
            return str(value) if shared is None else dict(shared)
    parsed = _text_dict(text)
    return str(value) if parsed is None else parsed


# The events of one email share its data, so a batch reads the same text again and again;
# texts this short are read once (a longer one is not kept in memory).
_CACHED_TEXT = 1024
_SCALARS = (str, int, float, bool, type(None))


@functools.lru_cache(maxsize=256)
def _cached_reading(text: str) -> tuple[dict[str, Any] | None, bool]:
    """`_text_dict` of ``text``, and whether that answer may be shared (not a dict, or a
    dict of scalars only; a nested one would share its inner values)."""
    parsed = _text_dict(text)
    if parsed is None:
        return None, True
    return parsed, all(isinstance(v, _SCALARS) for v in parsed.values())


def _text_dict(text: str) -> dict[str, Any] | None:
    # Easify's form is JSON with single quotes: swapping the quotes reads it at JSON speed,
    # unless a backslash or a double quote could make the swap change a value.
    if text.startswith("{'") and "\\" not in text and '"' not in text:
        swapped = _json_dict(text.replace("'", '"'))
        if swapped is not None:
            return swapped
    parsed = _json_dict(text)
    return _python_dict(text) if parsed is None else parsed


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


# Fields whose JSON form is their own; every other field is read by its type.
_BY_NAME: dict[str, Callable[[Any], Any]] = {
    "additional_data": _additional_data,
    "category": _category,
    "created_at": _sms_time,
    "timestamp": _unix_time,
}
_BY_TYPE: dict[Any, Callable[[Any], Any]] = {
    str: _text,
    str | None: _optional_text,
    int | None: _optional_int,
}
_TEXT_HOOKS = frozenset({_text, _optional_text})
_RENAMED = {"smtp_id": "smtp-id"}


def _field_hook(field: attrs.Attribute[Any]) -> Callable[[Any], Any]:
    if field.name in _BY_NAME:
        return _BY_NAME[field.name]
    if isinstance(field.type, type) and issubclass(field.type, enum.Enum):
        return _enum_hook(field.type)
    hook = _BY_TYPE.get(field.type)
    if hook is None:  # a new field needs a hook here: fail at import, not on a delivery
        raise TypeError(f"no webhook hook for {field.name}: {field.type}")
    return hook


#: JSON key -> (attribute name, structure function, whether text is taken as sent).
_Hooks = dict[str, tuple[str, Callable[[Any], Any], bool]]


def _hooks(cls: type) -> _Hooks:
    attrs.resolve_types(cls)
    return {
        _RENAMED.get(a.name, a.name): (a.name, hook, hook in _TEXT_HOOKS)
        for a in attrs.fields(cls)
        if a.name != "extra"
        for hook in (_field_hook(a),)
    }


def _required(cls: type) -> list[str]:
    return [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING]


def _structure_fn(cls: type) -> Callable[[object, type], Any]:
    hooks = _hooks(cls)
    required_in_order = _required(cls)
    required = frozenset(required_in_order)
    what = "an SMS event" if cls is SmsEvent else "an email event"

    def structure(data: object, _: type) -> Any:
        if data.__class__ is not dict:
            raise MalformedPayloadError(f"{what} is a JSON object, not {_kind(data)}")
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            hook = hooks.get(key)
            if hook is None:
                extra[key] = value
            elif hook[2] and value.__class__ is str:
                values[hook[0]] = value  # most fields: text as sent, no call needed
            else:
                try:
                    values[hook[0]] = hook[1](value)
                except _Refused as refused:
                    raise MalformedPayloadError(
                        f"{key!r} must be {refused.expected}, not {_shown(value)}"
                    ) from None
        if not values.keys() >= required:
            missing = [repr(_RENAMED.get(a, a)) for a in required_in_order if a not in values]
            raise MalformedPayloadError(f"{what} needs {' and '.join(missing)}")
        return cls(**values, extra=extra)

    return structure


# The key sets a class keeps a reader for: a sender uses a few (one per event kind); past
# this many, or for an event with more keys than that, the general loop reads.
_MAX_SHAPES = 64


def _by_shape(cls: type, general: Callable[[object, type], Any]) -> Callable[[object, type], Any]:
    """``general``, faster: events with the same keys in the same order (each kind of
    a sender's events) are read by code written once for those keys, with no loop.

    Whatever that code does not expect (a value its hook refuses, a required key
    missing) goes to ``general``, so every result and error stays ``general``'s own.
    """
    hooks, required = _hooks(cls), frozenset(_required(cls))
    readers: dict[tuple[str, ...], Callable[[dict[str, Any]], Any]] = {}

    def structure(data: object, _: type) -> Any:
        if data.__class__ is not dict:
            return general(data, cls)
        shape = tuple(data)
        reader = readers.get(shape)
        if reader is None:
            if len(readers) >= _MAX_SHAPES or len(shape) > _MAX_SHAPES:
                return general(data, cls)
            reader = readers[shape] = _reader(cls, shape, hooks, required, general)
        return reader(data)

    return structure


def _reader(
    cls: type,
    shape: tuple[str, ...],
    hooks: _Hooks,
    required: frozenset[str],
    general: Callable[[object, type], Any],
) -> Callable[[dict[str, Any]], Any]:
    if not required <= {hooks[key][0] for key in shape if key in hooks}:
        return lambda data: general(data, cls)  # it names the missing keys
    # The keys are the sender's: they go into the code as indexes, never as text.
    namespace: dict[str, Any] = {"cls": cls, "general": general, "unknown": []}
    lines = ["def read(data):", "    try:"]
    lines.append(f"        {', '.join(f'v{i}' for i in range(len(shape)))}, = data.values()")
    arguments, extra = [], []
    for i, key in enumerate(shape):
        if key not in hooks:
            namespace["unknown"].append(key)
            extra.append(f"v{i}")
            continue
        name, hook, text = hooks[key]
        namespace[f"h{i}"] = hook
        if text:  # most fields: text as sent, no call needed
            lines.append(f"        if v{i}.__class__ is not str:")
            lines.append(f"            v{i} = h{i}(v{i})")
        else:
            lines.append(f"        v{i} = h{i}(v{i})")
        arguments.append(f"{name}=v{i}")
    lines += ["    except Exception:", "        return general(data, cls)  # raises its own error"]
    arguments.append(f"extra=dict(zip(unknown, ({', '.join(extra)},)))" if extra else "extra={}")
    lines.append(f"    return cls({', '.join(arguments)})")
    exec(compile("\n".join(lines), f"<webhook reader {cls.__name__}>", "exec"), namespace)
    read: Callable[[dict[str, Any]], Any] = namespace["read"]
    return read


def structure_event(data: object, cls: type[Any]) -> Any:
    """``data`` as a `SmsEvent` or `EmailEvent`, through the SDK's converter.

    Raises:
        MalformedPayloadError: a field is missing or of the wrong shape; the reason
            names it in JSON's terms.
    """
    # Straight to the function: the converter's dispatch would cost a tenth of an event.
    return _STRUCTURE[cls](data, cls)


# The general loop of each class, and the same reading by shape (what is used).
_GENERAL = {cls: _structure_fn(cls) for cls in (SmsEvent, EmailEvent)}
_STRUCTURE = {cls: _by_shape(cls, fn) for cls, fn in _GENERAL.items()}
for _cls, _fn in _STRUCTURE.items():
    converter.register_structure_hook(_cls, _fn)
