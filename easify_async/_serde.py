"""The one cattrs converter of the SDK, and every rule of the core in `configure_converter`.

The rules, in the order cattrs consults them (a rule for one class beats a rule for a kind):

1. ``str``: the API sends ids as strings in one reply and ints in another (spec §1.7); both
   are taken, a null or an object is refused rather than turned into ``"None"``. Str-based
   enums (`SmsStatus`, ...) pass through the same hook and stay open.
2. ``datetime | None``: the API's ``MM-DD-YYYY hh:mm:ss AM`` text, read by `parse_api_time`
   (``None`` for a missing or unreadable time).
3. Reply models (every attrs class of ``easify_async._models``): unknown keys are ignored;
   an attribute whose API key is spelled otherwise is read from it (`_API_KEYS`:
   ``credits_spent`` <- ``credits_spend``, ``from_number`` <- ``from``, ``to_number`` <-
   ``to``); ints through ``int``; a model with an ``extra`` field keeps, as sent, the keys
   it does not know there. Built once per class, on first use, by `_reply_structure_fn`.
4. Requests (`unstructure_request`): booleans as 1/0 (Laravel's ``boolean`` rule refuses
   ``"true"``), an unset option left out rather than sent as null.

Rooms with formats of their own register their hooks on this converter from their room:
the webhook events (``easify_async.webhooks._parse``), the sandbox's seed records
(``easify_async.sandbox._seed_records``), a request with keys of its own
(``easify_async._api_requests``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = [
    "configure_converter",
    "converter",
    "parse_api_time",
    "structure",
    "unstructure_request",
]


def _structure_str(value: object, cls: type[str]) -> str:
    # The API sends ids as strings in one reply and ints in another (spec §1.7); take both,
    # but never turn a null or an object into "None" / "{...}" the way str() would.
    if cls is str and value.__class__ is str:
        return value  # the common case, kept cheap
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    # Registered on `str`, this hook also receives str-based enums such as SmsStatus.
    return cls(value) if issubclass(cls, enum.Enum) else str(value)


# The API's reply times: "07-12-2024 11:03:12 AM", no zone (the account's, presumably).
# 12-hour "hh" and its half of the day ("11PM") to 24-hour "HH"; no other key is a time.
_HOURS = {
    f"{h:02d}{half}": f"{h % 12 + offset:02d}"
    for half, offset in (("AM", 0), ("PM", 12))
    for h in range(1, 13)
}


def parse_api_time(value: object) -> dt.datetime | None:
    """A naive datetime from the API's ``MM-DD-YYYY hh:mm:ss AM`` text.

    ``None`` for a missing, empty or unreadable time: one odd timestamp must not fail a
    whole page of records (the raw value is logged at DEBUG level).
    """
    if (
        isinstance(value, str)
        and len(value) == 22
        and value[2] == "-" == value[5]
        and value[10] == " " == value[19]
    ):
        hour = _HOURS.get(value[11:13] + value[20:])
        if hour is not None:
            # Rearranged to ISO for the C parser, which checks every digit and range.
            try:
                return dt.datetime.fromisoformat(f"{value[6:10]}-{value[:5]}T{hour}{value[13:19]}")
            except ValueError:
                pass
    if value is not None and value != "":
        logging.getLogger("easify_async").debug("unreadable time in a reply: %r", value)
    return None


def _is_optional_datetime(tp: Any) -> bool:
    return set(typing.get_args(tp)) == {dt.datetime, type(None)}


def _is_reply_model(cls: Any) -> bool:
    return attrs.has(cls) and cls.__module__.startswith("easify_async._models.")


# Attributes whose API key is spelled otherwise, in every reply model.
_API_KEYS = {
    "credits_spent": "credits_spend",  # the docs' (and the API's) spelling
    "from_number": "from",  # VoiceCall: `from` and `to` are Python keywords or too bare
    "to_number": "to",
}


def _reply_structure_fn(cls: type, converter: cattrs.Converter) -> Callable[[Any, type], Any]:
    """Rule 3 for one reply model."""
    names = {a.name for a in attrs.fields(cls)}
    renames = {name: key for name, key in _API_KEYS.items() if name in names}
    if "extra" in names:
        return _with_extra_structure_fn(cls, converter, renames)
    return _plain_reply_structure_fn(cls, converter, renames)


def _with_extra_structure_fn(
    cls: type, converter: cattrs.Converter, renames: dict[str, str]
) -> Callable[[Any, type], Any]:
    """Some attributes read from other keys (``renames``), and the keys ``cls`` does not
    know, as sent, in its ``extra`` mapping (for items the docs show only in part)."""
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

    return structure_with_extra


def _text(value: object) -> str:
    if value.__class__ is str:
        return value
    return _structure_str(value, str)


def _optional_text(value: object) -> str | None:
    if value is None or value.__class__ is str:
        return value
    return _structure_str(value, str)


def _field_hook(tp: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """A one-argument structure function for a field type, from ``converter``."""
    if tp is str:
        return _text
    args = typing.get_args(tp)
    if len(args) == 2 and type(None) in args:
        inner_type = args[0] if args[1] is type(None) else args[1]
        if inner_type is str:
            return _optional_text
        inner = _field_hook(inner_type, converter)
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


def _plain_reply_structure_fn(
    cls: type, converter: cattrs.Converter, renames: dict[str, str]
) -> Callable[[Any, type], Any]:
    """A reply model's structure function, generated once per class.

    A list page is up to 100 records, each structured on every page: skipping cattrs'
    per-field dispatch and any loop over the keys (plain text and ints are taken as
    sent) keeps a page's CPU close to its JSON decoding (benchmarks/bench_client.py).
    Field semantics stay this converter's: ints through ``int``, text through the str
    hook, enums kept open, ``datetime | None`` read by `parse_api_time`. ``renames``
    maps an attribute to the key the API spells it with (``credits_spent`` ->
    ``credits_spend``); unknown keys are ignored.
    """
    return _generated_reply_fn(cls, converter, renames)


def _int(value: object) -> int:
    if value.__class__ is int:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return int(value)


def _reply_field_hook(tp: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    if tp is int:
        return _int
    if _is_optional_datetime(tp):
        return parse_api_time
    return _field_hook(tp, converter)


def _generated_reply_fn(
    cls: type, converter: cattrs.Converter, renames: dict[str, str]
) -> Callable[[object, type], Any]:
    attrs.resolve_types(cls)
    # JSON key -> (attribute name, structure function), built once per class.
    fields = {
        renames.get(a.name, a.name): (a.name, _reply_field_hook(a.type, converter))
        for a in attrs.fields(cls)
    }

    def structure_reply(data: object, _: type) -> Any:
        if data.__class__ is not dict:
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            field = fields.get(key)
            if field is None:
                continue
            if value.__class__ is str and field[1] in _TEXT_HOOKS:
                values[field[0]] = value
            else:
                values[field[0]] = field[1](value)
        return cls(**values)

    passes: dict[Callable[[Any], Any], tuple[type, ...]] = {
        _int: (int,),
        _text: (str,),
        _optional_text: (str, type(None)),
    }
    return _generated_structure_fn(
        cls,
        general=structure_reply,
        keys={a.name: renames.get(a.name, a.name) for a in attrs.fields(cls)},
        hooks={name: hook for _, (name, hook) in fields.items()},
        passes={name: passes.get(hook, ()) for _, (name, hook) in fields.items()},
    )


_MISSING = object()


def _generated_structure_fn(
    cls: type,
    *,
    general: Callable[[Any, type], Any],
    keys: Mapping[str, str],
    hooks: Mapping[str, Callable[[Any], Any]],
    passes: Mapping[str, tuple[type, ...]],
) -> Callable[[Any, type], Any]:
    """``general``'s structure function for ``cls``, as code written once for the class
    (the way cattrs generates its own): one ``dict.get`` per field, values of a class in
    ``passes`` taken as sent, no loop, no kwargs dict.

    ``keys`` maps each attribute to its JSON key and ``hooks`` to its one-argument
    structure function; unknown keys are ignored. Anything unusual (not a dict, a
    required key missing, a value its hook refuses) is handed to ``general``, so every
    result and error stays exactly ``general``'s own.
    """
    namespace: dict[str, Any] = {"cls": cls, "general": general, "M": _MISSING}
    lines = ["def structure(data, _):"]
    lines += ["    if data.__class__ is not dict:", "        return general(data, _)"]
    lines += ["    get = data.get", "    try:"]
    arguments = []
    for i, a in enumerate(attrs.fields(cls)):
        default = a.default
        if isinstance(default, attrs.Factory) and default.takes_self:  # type: ignore[arg-type]
            return general
        namespace[f"h{i}"], namespace[f"d{i}"] = hooks[a.name], default
        checks = []
        for j, kind in enumerate(passes[a.name]):
            namespace[f"t{i}_{j}"] = kind
            checks.append(f"v{i}.__class__ is not t{i}_{j}")
        convert = " and ".join(checks) or "True"
        lines.append(f"        v{i} = get({keys[a.name]!r}, M)")
        lines.append(f"        if v{i} is M:")
        if default is attrs.NOTHING:
            lines.append("            return general(data, _)  # it names the missing key")
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            lines.append(f"            v{i} = d{i}.factory()")
        else:
            lines.append(f"            v{i} = d{i}")
        lines.append(f"        elif {convert}:")
        lines.append(f"            v{i} = h{i}(v{i})")
        arguments.append(f"{a.alias}=v{i}")
    lines += ["    except Exception:", "        return general(data, _)  # raises its own error"]
    lines.append(f"    return cls({', '.join(arguments)})")
    code = "\n".join(lines)
    exec(compile(code, f"<generated structure {cls.__qualname__}>", "exec"), namespace)
    generated: Callable[[Any, type], Any] = namespace["structure"]
    return generated


def configure_converter(converter: cattrs.Converter) -> None:
    """Give ``converter`` the core's rules 1-3 (see this module's docstring)."""
    converter.register_structure_hook(str, _structure_str)
    # Only `datetime | None` fields, which is how every API model types its times; webhook
    # events parse theirs through their own hooks (easify_async.webhooks._parse).
    converter.register_structure_hook_func(
        _is_optional_datetime, lambda value, _: parse_api_time(value)
    )
    converter.register_structure_hook_factory(
        _is_reply_model, lambda cls: _reply_structure_fn(cls, converter)
    )


# Plain errors, not exception groups: faster structuring; messages still name the field.
converter = cattrs.Converter(forbid_extra_keys=False, detailed_validation=False)
configure_converter(converter)

# Rule 4. A copy, made after the rules above, so that requests' booleans as 1/0 and
# omitted defaults never reach the replies the CLI prints (see `unstructure_request`).
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
