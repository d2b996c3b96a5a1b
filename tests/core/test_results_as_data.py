"""Results as data: every public model, page and bulk result through `to_dict` and back."""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import easify_async
from easify_async import (
    CampaignStatus,
    CampaignStatusInfo,
    Page,
    SmsRecord,
    SmsTemplate,
    VoiceCall,
    bulk,
    from_dict,
    models,
    to_dict,
)
from easify_async._open_enum import OpenStrEnum
from easify_async._pagination import detached_page
from easify_async.bulk import (
    EmailMessage,
    EmailResult,
    Outcome,
    RecordedFailureError,
    SmsMessage,
    SmsResult,
)

# Every attrs class the public modules export, found rather than listed, so that a new
# model is covered by the property; Journal is a handle on a file, not a value.
PUBLIC_VALUES = sorted(
    (
        getattr(module, name)
        for module in (models, bulk)
        for name in module.__all__
        if attrs.has(getattr(module, name)) and name != "Journal"
    ),
    key=lambda cls: cls.__name__,
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)

# Naive (the API's own times), UTC and other fixed offsets (an aware user's time).
TIMES = st.datetimes(
    timezones=st.none()
    | st.just(dt.timezone.utc)
    | st.integers(-23 * 60, 23 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
)


def values(tp: Any) -> st.SearchStrategy[Any]:
    """Any value of a field's type, as a result can hold it."""
    args = typing.get_args(tp)
    if bytes in args:
        # A bulk item's file: a path or URL round-trips; contents are not data (below).
        paths = st.none() | st.text()
        return (
            paths | st.lists(st.text(), max_size=2).map(tuple)
            if tuple in map(typing.get_origin, args)
            else paths
        )
    if set(args) == {dt.datetime, str, type(None)}:
        return st.none() | st.text()  # an email's schedule_time comes back as its text
    if set(args) == {Exception, type(None)}:
        return st.none()  # an error comes back as the failure it recorded (below)
    if typing.get_origin(tp) is typing.Literal:
        return st.sampled_from(args)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return st.one_of([values(a) for a in args])
    if tp is type(None):
        return st.none()
    if tp is dt.datetime:
        return TIMES
    if isinstance(tp, type) and issubclass(tp, OpenStrEnum):
        return st.sampled_from(list(tp)) | st.text().map(tp)  # values the API adds
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if typing.get_origin(tp) in (dict, Mapping):
        return st.dictionaries(st.text(), JSON, max_size=3)
    if attrs.has(tp):
        return instances(tp)
    return st.from_type(tp)


def instances(cls: type) -> st.SearchStrategy[Any]:
    attrs.resolve_types(cls, localns={"os": __import__("os")})
    return st.builds(cls, **{a.alias: values(a.type) for a in attrs.fields(cls) if a.init})


def round_trip(result: Any, cls: Any) -> Any:
    data = to_dict(result)
    # JSON-safe: through json and back unchanged (no datetimes, enums or reprs left).
    assert json.loads(json.dumps(data)) == data
    return from_dict(json.loads(json.dumps(data)), cls)


def test_every_public_value_is_covered() -> None:
    """The property below runs over every result model, bulk result and bulk item."""
    names = {cls.__name__ for cls in PUBLIC_VALUES}
    assert {"SmsRecord", "VoiceCall", "SubUser", "SmsResult", "JournalEntry"} <= names
    assert len(names) >= 27  # the discovery works: 15 models, 12 of easify_async.bulk today


@pytest.mark.parametrize("cls", PUBLIC_VALUES, ids=lambda cls: cls.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_result_round_trips_through_json(cls: type, data: st.DataObject) -> None:
    """``from_dict(to_dict(r), type(r)) == r``, through json, for every public model."""
    result = data.draw(instances(cls))
    assert round_trip(result, cls) == result


@settings(max_examples=40, deadline=None)
@given(
    item=st.sampled_from([SmsRecord, SmsTemplate, VoiceCall]).flatmap(
        lambda cls: st.tuples(st.just(cls), st.lists(instances(cls), max_size=3))
    ),
    meta=st.tuples(*[st.integers(0, 10**6)] * 4),
)
def test_a_page_round_trips_through_json(
    item: tuple[type, list[Any]], meta: tuple[int, ...]
) -> None:
    """A page is its items and meta; `from_dict` needs its item type."""
    cls, items = item
    current, last, per_page, total = meta
    page = detached_page(
        items, current_page=current, last_page=last, per_page=per_page, total=total
    )
    again = round_trip(page, Page[cls])  # type: ignore[valid-type]  # a class drawn at run time
    assert again == page
    assert len(again) == len(items) == len(page)
    assert list(again) == items


def test_times_enums_and_extra_as_json_would_write_them() -> None:
    """Times ISO 8601 with their zone, enums their values (an unknown one kept), extra an object."""
    zone = dt.timezone(dt.timedelta(hours=-5))
    info = CampaignStatusInfo(
        campaign_id=7,
        status=CampaignStatus("Paused by support"),
        created_at=dt.datetime(2026, 1, 1, 9, 30, tzinfo=zone),
        completed_at=dt.datetime(2026, 1, 1, 9, 45),
    )
    data = to_dict(info)
    assert data["status"] == "Paused by support"
    assert data["created_at"] == "2026-01-01 09:30:00-05:00"
    assert data["completed_at"] == "2026-01-01 09:45:00"  # the API's times have no zone
    assert data["credits_spent"] == 0  # attribute names, not the API's `credits_spend`
    again = from_dict(data, CampaignStatusInfo)
    assert again.status is info.status
    assert not again.status.is_known
    assert again.created_at == info.created_at
    assert again.created_at is not None
    assert again.created_at.utcoffset() == dt.timedelta(hours=-5)
    call = VoiceCall(
        id="c1", from_number="+13152930000", extra={"duration": 30, "legs": [{"a": 1}]}
    )
    assert to_dict(call)["extra"] == {"duration": 30, "legs": [{"a": 1}]}
    assert to_dict(call)["from_number"] == "+13152930000"


def test_a_bulk_results_error_and_files() -> None:
    """An error is its type and message, read back as the failure it recorded; a file's
    contents are left out, its path kept."""
    result = SmsResult(
        key="row-1",
        outcome=Outcome.FAILED,
        error=ValueError("to_number: no country code"),
        item=SmsMessage("3152930000", "12345", media=b"\x89PNG", key="row-1"),
    )
    data = to_dict(result)
    assert data["outcome"] == "failed"
    assert data["error"] == {"type": "ValueError", "message": "to_number: no country code"}
    assert data["item"]["media"] is None
    again = from_dict(data, SmsResult)
    assert isinstance(again.error, RecordedFailureError)
    assert again.error.recorded == "ValueError: to_number: no country code"
    assert (again.key, again.outcome, again.item.to_number) == ("row-1", Outcome.FAILED, "12345")
    mail = EmailResult(
        key="m",
        outcome=Outcome.SENT,
        item=EmailMessage(
            "a@x.example", "b@x.example", "Hi", attachment=("a.pdf", ("b.txt", b"hi"))
        ),
        email_id="e1",
    )
    assert to_dict(mail)["item"]["attachment"] == ["a.pdf", None]


def test_what_is_not_a_result_is_refused() -> None:
    """to_dict takes the SDK's results, and a page needs its item type to come back."""
    with pytest.raises(TypeError, match=r"result: .* got dict"):
        to_dict({"a": 1})
    page = detached_page([], current_page=1, last_page=1, per_page=10, total=0)
    with pytest.raises(TypeError, match=r"Page\[SmsRecord\]"):
        from_dict(to_dict(page), Page)


@pytest.mark.anyio
async def test_a_page_made_from_data_cannot_fetch() -> None:
    """has_next_page still tells what the meta said; next_page says why it cannot."""
    data = {"items": [{"id": 1}], "current_page": 1, "last_page": 3, "per_page": 1, "total": 3}
    page = from_dict(data, Page[SmsRecord])
    assert page.has_next_page()
    assert len(page) == 1
    assert page
    assert not from_dict({**data, "items": []}, Page[SmsRecord])  # empty: false, as a list
    with pytest.raises(ValueError, match="made from data"):
        await page.next_page()


def test_the_functions_are_public() -> None:
    """`to_dict` and `from_dict` are exported from the package, with docstrings."""
    assert easify_async.to_dict is to_dict
    assert easify_async.from_dict is from_dict
    assert to_dict.__doc__
    assert from_dict.__doc__
