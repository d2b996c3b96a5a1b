"""sms.report splits a range over 30 days into consecutive queries, walked in order."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async import AsyncEasify
from easify_async._endpoints._arguments import MAX_REPORT_DAYS, date_chunks


def serve(queries: list[dict[str, str]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        queries.append(query)
        # One record per query, dated its first day, so the walk order shows.
        record = {"id": len(queries), "message": query["from_date"]}
        meta = {"current_page": 1, "last_page": 1, "per_page": 100, "total": 1}
        return httpx.Response(
            200, json={"status": True, "message": "", "data": [record], "meta": meta}
        )

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param(
            "asc",
            [
                ("2026-01-01", "2026-01-30"),
                ("2026-01-31", "2026-03-01"),
                ("2026-03-02", "2026-03-31"),
            ],
            id="asc-oldest-first",
        ),
        pytest.param(
            "desc",
            [
                ("2026-03-02", "2026-03-31"),
                ("2026-01-31", "2026-03-01"),
                ("2026-01-01", "2026-01-30"),
            ],
            id="desc-newest-first",
        ),
    ],
)
@pytest.mark.anyio
async def test_ninety_days_are_three_queries_in_order(
    order: Any, expected: list[tuple[str, str]]
) -> None:
    """Each query covers at most 30 days, they tile the range, in the order asked for."""
    queries: list[dict[str, str]] = []
    async with AsyncEasify("t", base_url="http://x/api/v2", transport=serve(queries)) as easify:
        records = [
            r
            async for r in easify.sms.report(
                from_date=dt.date(2026, 1, 1),
                to_date="2026-03-31",
                order=order,
                status="Delivered",
                receiver="+13151350000",
            )
        ]
    assert [(q["from_date"], q["to_date"]) for q in queries] == expected
    assert [r.message for r in records] == [first for first, _ in expected]
    assert {(q["status"], q["receiver"], q["country_code"], q["order"]) for q in queries} == {
        ("Delivered", "3151350000", "+1", order)
    }


@pytest.mark.anyio
async def test_thirty_days_are_one_query() -> None:
    """The contract's November example is a single query with the filters as given."""
    queries: list[dict[str, str]] = []
    async with AsyncEasify("t", base_url="http://x/api/v2", transport=serve(queries)) as easify:
        page = await easify.sms.report(from_date="2026-11-01", to_date="2026-11-30")
    assert not page.has_next_page()
    assert queries == [
        {
            "from_date": "2026-11-01",
            "to_date": "2026-11-30",
            "order": "desc",
            "limit": "100",
            "page": "1",
        }
    ]


@given(
    start=st.dates(),
    days=st.integers(min_value=0, max_value=400),
    newest_first=st.booleans(),
)
def test_chunks_tile_any_range(start: dt.date, days: int, newest_first: bool) -> None:
    """For every range, up to the last day a date can name: contiguous chunks of 1..30
    days covering it exactly."""
    days = min(days, (dt.date.max - start).days)
    end = start + dt.timedelta(days=days)
    chunks = date_chunks(start, end, newest_first=newest_first)
    ordered = chunks[::-1] if newest_first else chunks
    assert ordered[0][0] == start
    assert ordered[-1][1] == end
    for (_, last), (next_first, _) in itertools.pairwise(ordered):
        assert next_first == last + dt.timedelta(days=1)
    assert all(0 <= (last - first).days < MAX_REPORT_DAYS for first, last in chunks)
    assert len(chunks) == days // MAX_REPORT_DAYS + 1


@pytest.mark.anyio
async def test_a_range_ending_on_the_last_date_is_walked() -> None:
    """9999-12-01 to 9999-12-31 is two queries, not an OverflowError past the last day."""
    queries: list[dict[str, str]] = []
    async with AsyncEasify("t", transport=serve(queries)) as easify:
        records = [r async for r in easify.sms.report(from_date="9999-12-01", to_date="9999-12-31")]
    assert len(records) == 2
    assert [(q["from_date"], q["to_date"]) for q in queries] == [
        ("9999-12-31", "9999-12-31"),
        ("9999-12-01", "9999-12-30"),
    ]
