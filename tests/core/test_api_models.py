"""The list and campaign models: API times, the docs' typos, open enums, odd replies."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async import (
    CampaignItem,
    CampaignStatus,
    CampaignStatusInfo,
    Contact,
    PhoneNumber,
    SmsRecord,
    SmsStatus,
    SmsTemplate,
)
from easify_async._serde import _general_reply_fn, converter, parse_api_time, structure

DOCS_STATUS = {
    "campaign_id": 31529,
    "status": "Completed",
    "campaign_name": "November",
    "total_recipients_count": 10000,
    "pending_count": 0,
    "running_count": 0,
    "hold_count": 0,
    "success_count": 9990,
    "failed_count": 10,
    "cancelled_count": 0,
    "estimated_credits": 10000,
    "credits_spend": 9990,
    "url_shortening_estimated_credits": 0,
    "url_shortening_credits_spent": 0,
    "scheduled_at": None,
    "scheduled_timezone": None,
    "remarks": "",
    "completed_at": "08-26-2025 01:20:16 AM",
    "cancelled_at": None,
    "created_at": "08-26-2025 12:59:02 AM",
}


@given(st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_every_api_time_reads_back(moment: dt.datetime) -> None:
    """Any time written as MM-DD-YYYY hh:mm:ss AM/PM reads back to the same second."""
    text = moment.strftime("%m-%d-%Y %I:%M:%S %p")
    assert parse_api_time(text) == moment.replace(microsecond=0)


@given(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.floats()))
def test_any_value_is_a_time_or_none(value: object) -> None:
    """Whatever a reply holds, reading a time never raises: a datetime or None."""
    assert parse_api_time(value) is None or isinstance(parse_api_time(value), dt.datetime)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("07-12-2024 12:03:12 AM", dt.datetime(2024, 7, 12, 0, 3, 12), id="midnight"),
        pytest.param("07-12-2024 12:03:12 PM", dt.datetime(2024, 7, 12, 12, 3, 12), id="noon"),
        pytest.param("07-12-2024 00:03:12 AM", None, id="hour-zero"),
        pytest.param("02-30-2024 01:00:00 PM", None, id="no-such-day"),
        pytest.param("2024-07-12 11:03:12", None, id="webhook-format"),
        pytest.param("", None, id="empty"),
    ],
)
def test_twelve_hour_corners(text: str, expected: dt.datetime | None) -> None:
    """12 AM is midnight, 12 PM noon; an impossible or other-format time is None."""
    assert parse_api_time(text) == expected


def test_the_docs_campaign_status_reads_with_sane_names() -> None:
    """`credits_spend` (sic) becomes credits_spent; times become datetimes."""
    info = structure(DOCS_STATUS, CampaignStatusInfo)
    assert info.credits_spent == 9990
    assert info.status is CampaignStatus.COMPLETED
    assert info.completed_at == dt.datetime(2025, 8, 26, 1, 20, 16)
    assert info.done_count == 10000
    assert info.describe().startswith("Completed: 10000/10000 done (success 9990, failed 10")


@pytest.mark.parametrize(
    ("status", "final"),
    [
        pytest.param("Preparing", False, id="preparing"),
        pytest.param("Processing", False, id="processing"),
        pytest.param("Running", False, id="running"),
        pytest.param("Hold", False, id="hold-is-not-final"),
        pytest.param("Cancelled", True, id="cancelled"),
        pytest.param("Completed", True, id="completed"),
        pytest.param("Paused", False, id="unknown-kept"),
    ],
)
def test_campaign_statuses(status: str, final: bool) -> None:
    """Completed and Cancelled are final; an unknown status is kept, and not final."""
    info = structure({**DOCS_STATUS, "status": status}, CampaignStatusInfo)
    assert info.status.value == status
    assert info.status.is_final is final
    assert info.status.is_known is (status != "Paused")


def test_records_tolerate_unknown_keys_nulls_and_odd_times() -> None:
    """Extra keys are ignored, a null reason kept, an unreadable time is None, ids as ints."""
    record = structure(
        {
            "id": "516",
            "sender": "+13152930000",
            "status": "Queued",
            "created_at": "yesterday",
            "reason": None,
            "new_field": 1,
        },
        SmsRecord,
    )
    assert record.id == 516
    assert record.status == SmsStatus("Queued")
    assert record.created_at is None
    assert record.reason is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"number": "+13152930000"}, id="no-id"),
        pytest.param({"id": None, "number": "+1"}, id="null-id"),
        pytest.param({"id": True, "number": "+1"}, id="bool-id"),
        pytest.param({"id": 1, "number": {"x": 1}}, id="object-number"),
        pytest.param(["not", "an", "object"], id="list"),
    ],
)
def test_a_record_that_does_not_fit_raises(data: object) -> None:
    """Structuring fails loudly (the request path turns it into an APIError)."""
    with pytest.raises((TypeError, ValueError)):
        structure(data, PhoneNumber)


REPLY_MODELS = [PhoneNumber, SmsRecord, SmsTemplate, CampaignStatusInfo, CampaignItem, Contact]
JUNK = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
JUNK |= st.lists(st.integers(), max_size=2)
TIMES = st.sampled_from(["07-12-2024 11:03:12 AM", "13-12-2024 11:03:12 AM", "", None])


def fitting(tp: object) -> st.SearchStrategy[object]:
    """Values of the field's own JSON shape (ints also as digits, enums also unlisted)."""
    if tp is int:
        return st.integers() | st.just("12")
    if tp is str:
        return st.text(max_size=5)
    if tp == dt.datetime | None:
        return TIMES
    if tp == str | None:
        return st.none() | st.text(max_size=5)
    if isinstance(tp, type) and issubclass(tp, str):
        return st.sampled_from([member.value for member in tp]) | st.text(max_size=5)
    return JUNK


@given(data=st.data(), model=st.sampled_from(REPLY_MODELS))
def test_the_generated_structure_reads_as_the_general_loop(
    data: st.DataObject, model: type[object]
) -> None:
    """The code generated per model is a fast path only: for any record (keys missing,
    values of any JSON type) it gives the general loop's value, or raises its error."""
    generated = converter.get_structure_hook(model)
    general = _general_reply_fn(model, converter)  # the loop it hands unusual records to
    attrs.resolve_types(model)
    fields = attrs.fields(model)
    fitting_values = {a.name: fitting(a.type) for a in fields}
    record = data.draw(st.fixed_dictionaries({}, optional=fitting_values))
    odd = data.draw(st.none() | st.sampled_from([a.name for a in fields] + ["unknown"]))
    if odd is not None:  # at most one value of the wrong shape, so that it is the one read
        record[odd] = data.draw(JUNK)
    try:
        expected: object = general(record, model)
    except Exception as exc:
        error = exc
    else:
        assert generated(record, model) == expected
        return
    with pytest.raises(type(error)) as caught:
        generated(record, model)
    assert str(caught.value) == str(error)


@pytest.mark.parametrize("value", ["pending", "PENDING", "delivered"])
def test_a_listed_value_in_another_case_is_kept_and_not_known(value: str) -> None:
    """The API's values are case-sensitive: "pending" is not the documented "Pending"."""
    from easify_async import SmsStatus

    status = SmsStatus(value)
    assert status.value == value
    assert not status.is_known
    assert status is not SmsStatus.PENDING
