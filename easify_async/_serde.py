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
4. Request models (every attrs class of ``easify_async._requests``, unstructured by
   `unstructure_request`): booleans as 1/0, those in a free-form mapping
   (``additional_data``) too (Laravel's ``boolean`` rule refuses ``"true"``); an unset
   option left out rather than sent as null; a field whose metadata names its API key
   (``_requests.API_KEY``: ``VoiceCallQuery.from_number`` -> ``from``) sent under it. Only
   request models: the replies the CLI prints keep their booleans and their defaults.
5. Results as data (`to_dict` / `from_dict`, on a copy of the converter: one class is
   read from the API's spellings and written as data by its attribute names): every attrs
   class by its attribute names (``credits_spent``, ``from_number``; ``extra`` as an
   object of its own); times as ISO 8601 text with their zone when they have one (``2026-01-01
   09:30:00``, RFC 3339's space form, the CLI's); enums as their values (an open enum's
   unknown value kept); a `Page` as its items and meta; a bulk result's error as its
   ``type`` and ``message`` (read back as a `RecordedFailureError`); a bulk item's file
   as its path, its contents left out (null), as the journal keeps them.

Rooms with formats of their own register their hooks on this converter from their room:
the webhook events (``easify_async.webhooks._parse``), the sandbox's seed records
(``easify_async.sandbox._seed_records``).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
import os
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._pagination import Page, detached_page

T = TypeVar("T")

__all__ = [
    "configure_converter",
    "converter",
    "from_dict",
    "parse_api_time",
    "structure",
    "to_dict",
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
    return attrs.has(cls) and cls.__module__ == "easify_async._requests"


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
    from ._requests import API_KEY

    overrides: dict[str, Any] = {}
    for a in attrs.fields(cls):
        union = typing.get_origin(a.type) in (typing.Union, types.UnionType)
        kinds = set(typing.get_args(a.type)) if union else {a.type}
        rename = a.metadata.get(API_KEY)
        if bool in kinds:
            overrides[a.name] = override(rename=rename, unstruct_hook=_request_bool)
        elif any(Any in typing.get_args(kind) for kind in kinds):
            overrides[a.name] = override(
                rename=rename, unstruct_hook=lambda v: _request_any(v, converter)
            )
        elif rename is not None:
            overrides[a.name] = override(rename=rename)
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


# Rule 5. Another copy, made from the rules above (strings, enums), with its own times,
# attrs classes, pages, errors and files; the replies' reading (rule 3) is not its.
_data_converter = converter.copy()


def _time_text(value: dt.datetime) -> str:
    # The CLI's form since 0.1: a space, not "T" (RFC 3339 allows both, fromisoformat
    # reads both); an aware time keeps its offset, a naive one (the API's) has none.
    return value.isoformat(sep=" ")


def _time_or_none(value: object, _: type) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected ISO 8601 text, got {type(value).__name__}")
    return dt.datetime.fromisoformat(value)


def _is_exception(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseException)


def _error_data(error: BaseException) -> dict[str, str]:
    return {"type": type(error).__name__, "message": str(error)}


def _is_file_input(tp: Any) -> bool:
    # `FileInput | None` and `FileInput | tuple[FileInput, ...] | None` of the bulk items.
    return bytes in typing.get_args(tp)


def _file_data(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(typing.cast("os.PathLike[str]", value))
    if isinstance(value, tuple) and not (len(value) == 2 and isinstance(value[1], bytes)):
        return [_file_data(v) for v in typing.cast("tuple[object, ...]", value)]
    return None  # contents (bytes, a file object, a (name, bytes) pair): not data


def _file_or_none(value: object, _: type) -> object:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return tuple(_file_or_none(v, str) for v in typing.cast("list[object]", value))
    raise TypeError(f"expected a path, got {type(value).__name__}")


def _time_or_text(value: object, _: type) -> dt.datetime | str | None:
    # An email's `schedule_time`, a datetime or the API's text: read back as text, which
    # `email.send` takes the same.
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _is_scalar_union(tp: Any) -> bool:
    # `str | int | None` (a bulk item's `lead_id`): JSON keeps which one it was.
    args = set(typing.get_args(tp))
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and args <= _SCALARS


def _scalar_union_fn(tp: Any) -> Callable[[Any, type], Any]:
    args = frozenset(typing.get_args(tp))

    def structure_scalar(value: object, _: type) -> object:
        if type(value) not in args:  # exact types: True is no int here
            raise TypeError(f"expected one of {sorted(a.__name__ for a in args)}")
        return value

    return structure_scalar


def _resolved(cls: type) -> type:
    # The bulk items' FileInput names os.PathLike under TYPE_CHECKING only.
    attrs.resolve_types(cls, localns={"os": os})
    return cls


def _enum_value(member: enum.Enum | None) -> object:
    return None if member is None else member.value


def _is_enum_field(tp: Any) -> bool:
    return any(isinstance(t, type) and issubclass(t, enum.Enum) for t in (tp, *typing.get_args(tp)))


@functools.cache  # both of a class's hooks are made at once, asked for one at a time
def _data_fns(cls: type) -> tuple[Callable[[Any], Any], Callable[[Any, type], Any]]:
    _resolved(cls)
    fields = attrs.fields_dict(cls)
    # cattrs dispatches a str-based enum (SmsStatus, Outcome) as a str: the member itself.
    enums: dict[str, Any] = {
        name: override(unstruct_hook=_enum_value)
        for name, a in fields.items()
        if _is_enum_field(a.type)
    }
    unstructure: Callable[[Any], Any] = make_dict_unstructure_fn(cls, _data_converter, **enums)
    error = fields.get("error")
    if error is None or not (set(typing.get_args(error.type)) & {Exception, BaseException}):
        return unstructure, make_dict_structure_fn(cls, _data_converter)
    # A bulk result: its error comes back as the failure it recorded (an exception's own
    # class and arguments are not data).
    from .errors import RecordedFailureError

    base: Callable[[Any, type], Any] = make_dict_structure_fn(
        cls, _data_converter, error=override(omit=True)
    )

    def structure_result(data: Any, _: type) -> Any:
        result = base(data, cls)
        error = data.get("error")
        if error is None:
            return result
        recorded = f"{error['type']}: {error['message']}"
        return attrs.evolve(result, error=RecordedFailureError(data["key"], recorded))

    return unstructure, structure_result


def _page_data(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": [_data_converter.unstructure(item) for item in page.items],
        "current_page": page.current_page,
        "last_page": page.last_page,
        "per_page": page.per_page,
        "total": page.total,
    }


def _is_page(tp: Any) -> bool:
    return typing.get_origin(tp) is Page or tp is Page


def _page_fn(tp: Any) -> Callable[[Any, type], Page[Any]]:
    (item,) = typing.get_args(tp) or (None,)
    if item is None:
        raise TypeError("from_dict needs the page's item type: Page[SmsRecord], not Page")
    items_type = list[item]  # type: ignore[valid-type]  # the item type is a runtime value

    def structure_page(data: Any, _: type) -> Page[Any]:
        return detached_page(
            _data_converter.structure(data["items"], items_type),
            current_page=data["current_page"],
            last_page=data["last_page"],
            per_page=data["per_page"],
            total=data["total"],
        )

    return structure_page


_data_converter.register_unstructure_hook(dt.datetime, _time_text)
_data_converter.register_structure_hook_func(_is_optional_datetime, _time_or_none)
_data_converter.register_structure_hook(dt.datetime, lambda v, _: _time_or_none(v, dt.datetime))
_data_converter.register_unstructure_hook_func(_is_exception, _error_data)
_data_converter.register_unstructure_hook_func(_is_file_input, _file_data)
_data_converter.register_structure_hook_func(_is_file_input, _file_or_none)
_data_converter.register_structure_hook(dt.datetime | str | None, _time_or_text)
_data_converter.register_structure_hook_factory(_is_scalar_union, _scalar_union_fn)
_data_converter.register_unstructure_hook_factory(attrs.has, lambda cls: _data_fns(cls)[0])
_data_converter.register_structure_hook_factory(attrs.has, lambda cls: _data_fns(cls)[1])
_data_converter.register_unstructure_hook(Page, _page_data)
_data_converter.register_structure_hook_factory(_is_page, _page_fn)


def to_dict(result: object) -> dict[str, Any]:
    """A result as JSON-safe data: a model, a `Page`, a bulk result or item.

    Keys are the attribute names; times ISO 8601 text (with their zone when they have
    one; the API's own times have none); enums their values, a value the API added
    kept; ``extra`` an object. `from_dict` gives the result back. A bulk result's error
    is its ``type`` and ``message``; a bulk item's file its path (contents are left out,
    as the journal leaves them). A `SubUser`'s token is in it, as in the result.

    Examples:
        >>> from easify_async import SmsStatus, SmsStatusInfo, from_dict, to_dict
        >>> to_dict(SmsStatusInfo(SmsStatus("Queued"), remarks=""))
        {'status': 'Queued', 'remarks': ''}
        >>> from_dict({'status': 'Queued', 'remarks': ''}, SmsStatusInfo).status.is_known
        False
    """
    if not (attrs.has(type(result)) or isinstance(result, Page)):
        raise TypeError(f"result: expected a result of the SDK, got {type(result).__name__}")
    data: dict[str, Any] = _data_converter.unstructure(result)
    return data


def from_dict(data: Any, cls: type[T]) -> T:
    """The result `to_dict` gave ``data`` for: ``from_dict(to_dict(r), type(r)) == r``.

    A page needs its item type (``from_dict(data, Page[SmsRecord])``); a page made from
    data cannot fetch the next one.

    Raises:
        TypeError: ``data`` is not what `to_dict` gives for ``cls`` (the message says
            where), or ``cls`` is not a class `to_dict` takes.
    """
    try:
        result: T = _data_converter.structure(data, cls)
    except Exception as exc:
        # cattrs' own errors vary by what is wrong (KeyError, ValueError, its groups).
        raise TypeError(
            f"data: not the data of a {getattr(cls, '__name__', cls)!s}: {exc!r}"
        ) from exc
    return result
