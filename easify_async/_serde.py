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
   ``to``); ints through ``int`` (a bool or a null refused); a model with an ``extra``
   field keeps, as sent, the keys it does not know there. Built once per class, on first
   use, by cattrs' ``make_dict_structure_fn`` (`_reply_structure_fn` quotes the figures).
4. Request models (every attrs class of ``easify_async._requests`` and
   ``._api_requests``, unstructured by `unstructure_request`): booleans as 1/0, those in
   a free-form mapping (``additional_data``) too (Laravel's ``boolean`` rule refuses
   ``"true"``); an unset option left out rather than sent as null. Only request models:
   the replies the CLI prints keep their booleans and their defaults.

Rooms with formats of their own register their hooks on this converter from their room:
the webhook events (``easify_async.webhooks._parse``), the sandbox's seed records
(``easify_async.sandbox._seed_records``), a request with keys of its own
(``easify_async._api_requests``: ``VoiceCallQuery``'s ``from`` and ``to[0]``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import types
import typing
from collections.abc import Callable
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
    "from_number": "from",  # VoiceCall: `from` is a Python keyword, `to` its pair
    "to_number": "to",
}


def _reply_structure_fn(cls: type, converter: cattrs.Converter) -> Callable[[Any, type], Any]:
    """Rule 3 for one reply model, by cattrs' own generated code.

    Measured against the hand-written ``exec`` generator this replaced, in one run on the
    shared 2-core machine (medians; raw = ``httpx`` get + ``json.loads``): ``sms.templates``
    page of 10: generator 1.67x raw, cattrs 1.61x (0.96x the generator); page of 100:
    2.23x and 2.37x (1.06x); one `SmsTemplate` 3.9 -> 4.9 us. About 1 us a record, under
    0.1 ms a full page: nothing a caller waiting on the network (or on a 60-a-minute rate
    limit) would notice. The webhook receiver never used it (webhooks/ reads its events
    itself): bench_webhooks.py shows the same figures before and after.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    overrides: dict[str, Any] = {}
    for a in fields:
        if a.name == "extra":
            overrides[a.name] = override(omit=True)
        elif a.type is int or a.name in _API_KEYS:
            hook = _structure_int if a.type is int else None
            overrides[a.name] = override(rename=_API_KEYS.get(a.name), struct_hook=hook)
    base: Callable[[Any, type], Any] = make_dict_structure_fn(cls, converter, **overrides)
    if "extra" not in attrs.fields_dict(cls):
        general = _general_reply_fn(cls, converter)

        def structure_reply(data: Any, _: type) -> Any:
            try:
                return base(data, cls)
            except Exception:
                pass
            # cattrs' error for an odd record is a bare KeyError or an index error; the
            # loop names what is wrong ("missing ... argument: 'id'", "expected ...").
            return general(data, cls)

        return structure_reply
    # The keys the model does not know, as sent, in its `extra` (items the docs show in part).
    known = {_API_KEYS.get(a.name, a.name) for a in fields if a.name != "extra"}

    def structure_with_extra(data: Any, _: type) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        extra = {key: value for key, value in data.items() if key not in known}
        return attrs.evolve(base(data, cls), extra=extra)

    return structure_with_extra


def _general_reply_fn(cls: type, converter: cattrs.Converter) -> Callable[[Any, type], Any]:
    """Rule 3 as a plain loop over the record's keys: what an odd record's error comes from."""
    attrs.resolve_types(cls)
    # JSON key -> (attribute name, type).
    fields = {_API_KEYS.get(a.name, a.name): (a.name, a.type) for a in attrs.fields(cls)}

    def structure_reply(data: object, _: type) -> Any:
        if data.__class__ is not dict:
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        values: dict[str, Any] = {}
        for key, value in typing.cast("dict[str, Any]", data).items():
            field = fields.get(key)
            if field is not None:
                name, tp = field
                values[name] = (
                    _structure_int(value, int) if tp is int else converter.structure(value, tp)
                )
        return cls(**values)

    return structure_reply


def _structure_int(value: object, _: type) -> int:
    # int(True) would be 1: a bool, a null or an object is refused, numeric text taken.
    if value.__class__ is int:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return int(value)


def _is_request_model(cls: Any) -> bool:
    return attrs.has(cls) and cls.__module__ in _REQUEST_MODULES


_REQUEST_MODULES = frozenset({"easify_async._requests", "easify_async._api_requests"})


def _request_bool(value: object) -> object:
    # Laravel's `boolean` rule takes 1/0 and refuses "true"; a None stays None.
    return int(value) if value.__class__ is bool else value


def _request_any(value: object, converter: cattrs.Converter) -> object:
    """A free-form value (``additional_data``) with every boolean in it as 1/0."""
    if value.__class__ is bool:
        return int(value)
    if isinstance(value, dict):
        return {key: _request_any(item, converter) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_request_any(item, converter) for item in value]  # a tuple too, as cattrs does
    return converter.unstructure(value)


def _request_unstructure_fn(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """Rule 4 for one request model, by cattrs' own generated code."""
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {}
    for a in attrs.fields(cls):
        union = typing.get_origin(a.type) in (typing.Union, types.UnionType)
        kinds = set(typing.get_args(a.type)) if union else {a.type}
        if bool in kinds:
            overrides[a.name] = override(unstruct_hook=_request_bool)
        elif any(Any in typing.get_args(kind) for kind in kinds):
            overrides[a.name] = override(unstruct_hook=lambda v: _request_any(v, converter))
    fn: Callable[[Any], Any] = make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **overrides
    )
    return fn


def configure_converter(converter: cattrs.Converter) -> None:
    """Give ``converter`` the core's rules 1-4 (see this module's docstring)."""
    converter.register_structure_hook(str, _structure_str)
    # Only `datetime | None` fields, which is how every API model types its times; webhook
    # events parse theirs through their own hooks (easify_async.webhooks._parse).
    converter.register_structure_hook_func(
        _is_optional_datetime, lambda value, _: parse_api_time(value)
    )
    converter.register_structure_hook_factory(
        _is_reply_model, lambda cls: _reply_structure_fn(cls, converter)
    )
    converter.register_unstructure_hook_factory(
        _is_request_model, lambda cls: _request_unstructure_fn(cls, converter)
    )


# Plain errors, not exception groups: faster structuring; messages still name the field.
converter = cattrs.Converter(forbid_extra_keys=False, detailed_validation=False)
configure_converter(converter)


def structure(data: Any, cls: type[Any]) -> Any:
    """Structure ``data`` into ``cls`` with the SDK's converter."""
    return converter.structure(data, cls)


def unstructure_request(request: object) -> dict[str, Any]:
    """The API fields of an attrs request model, options left unset omitted."""
    result: dict[str, Any] = converter.unstructure(request)
    return result
