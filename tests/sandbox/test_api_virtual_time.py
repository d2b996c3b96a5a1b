"""Campaign progression, Hold and per-endpoint throttles on trio's virtual clock."""

from __future__ import annotations

import json

import anyio
import pytest

from easify_async import AsyncEasify, CampaignStatus, CampaignTimeoutError
from easify_async.sandbox import DEMO_TOKEN, Account, Sandbox
from easify_async.sandbox._pagination import _url_window, paginated
from tests._clock import virtual
from tests.sandbox.conftest import raw_client

VIRTUAL = virtual()

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("anyio_backend", VIRTUAL)]
CSV = "\n".join(f"+1315135{i:04d}" for i in range(100)).encode()


def virtual_sandbox() -> Sandbox:
    """A sandbox on the virtual clock: 60-second windows, 10 campaign messages a second."""
    return Sandbox(clock=anyio.current_time)


async def test_counts_move_from_preparing_through_running_to_completed() -> None:
    """Preparing, then Running with success_count rising, then Completed at 100."""
    sandbox = virtual_sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.campaigns.send("N", ["+13152930000"], [7], CSV)
        seen = []
        for _ in range(14):
            info = await easify.campaigns.status(sent.campaign_id)
            seen.append((info.status, info.success_count))
            await anyio.sleep(1.0)
    statuses = [s for s, _ in seen]
    assert statuses[0] is CampaignStatus.PREPARING
    assert CampaignStatus.RUNNING in statuses
    assert statuses[-1] is CampaignStatus.COMPLETED
    counts = [c for _, c in seen]
    assert counts == sorted(counts)
    assert counts[-1] == 100


async def test_hold_is_not_final_and_the_timeout_says_the_last_counts() -> None:
    """A held campaign keeps being polled; the timeout error carries the last counts."""
    sandbox = virtual_sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        sent = await easify.campaigns.send("N", ["+13152930000"], [7], CSV)
        await anyio.sleep(4.0)  # prepared for 1 s, then 30 done
        sandbox.api.hold(sent.campaign_id, anyio.current_time())
        with pytest.raises(CampaignTimeoutError) as caught:
            await easify.campaigns.wait_for_completion(
                sent.campaign_id, timeout=120, poll_interval=5
            )
        error = caught.value
        assert error.last is not None
        assert error.last.status is CampaignStatus.HOLD
        assert (error.last.success_count, error.last.hold_count) == (30, 70)
        assert "Hold: 30/100 done" in str(error)
        assert isinstance(error, TimeoutError)
        sandbox.api.resume(sent.campaign_id, anyio.current_time())
        done = await easify.campaigns.wait_for_completion(
            sent.campaign_id, timeout=60, poll_interval=5
        )
    assert done.status is CampaignStatus.COMPLETED
    assert done.success_count == 100


async def test_out_of_credits_a_campaign_is_held() -> None:
    """A campaign the account cannot pay for is on Hold with the reason in remarks."""
    sandbox = virtual_sandbox()
    sandbox.add_account(Account(token="5|poor", sms_credits=10))
    async with AsyncEasify("5|poor", transport=sandbox.transport()) as easify:
        sent = await easify.campaigns.send("N", ["+13152930000"], [7], CSV)
        info = await easify.campaigns.status(sent.campaign_id)
    assert info.status is CampaignStatus.HOLD
    assert info.remarks == "Insufficient credits"


async def test_every_endpoint_has_its_own_throttle_and_the_client_keeps_to_it() -> None:
    """150 template pages and 150 number lists in the same minutes: no 429, each bucket
    waiting only for itself (the sandbox counts per endpoint)."""
    sandbox = virtual_sandbox()
    async with AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        start = anyio.current_time()

        async def templates() -> None:
            for _ in range(150):
                await easify.sms.templates()

        async def numbers() -> None:
            for _ in range(150):
                await easify.phone_numbers.list()

        async with anyio.create_task_group() as group:
            group.start_soon(templates)
            group.start_soon(numbers)
        elapsed = anyio.current_time() - start
    assert sandbox.rejected_requests == 0
    # 150 calls at 60 per window need three windows: two waits of ~61 s, shared by both.
    assert 120 <= elapsed < 130


async def test_the_sandbox_throttles_each_new_endpoint_at_60() -> None:
    """Sent raw, the 61st templates call of a window is a 429; other endpoints still pass."""
    sandbox = virtual_sandbox()
    async with raw_client(sandbox, "in-process") as client:
        codes = [(await client.get("sms/templates")).status_code for _ in range(61)]
        other = await client.get("phone-numbers")
    assert codes[:60] == [200] * 60
    assert codes[60] == 429
    assert other.status_code == 200


async def test_pagination_links_are_laravel_s() -> None:
    """links and meta exactly as Laravel's LengthAwarePaginator renders them."""
    body = paginated("M", list(range(200)), path="http://h/api/v2/x", page=10, per_page=10).body
    page = json.loads(body)
    assert page["links"] == {
        "first": "http://h/api/v2/x?page=1",
        "last": "http://h/api/v2/x?page=20",
        "prev": "http://h/api/v2/x?page=9",
        "next": "http://h/api/v2/x?page=11",
    }
    meta = page["meta"]
    assert (meta["current_page"], meta["from"], meta["to"], meta["last_page"], meta["total"]) == (
        10,
        91,
        100,
        20,
        200,
    )
    labels = [link["label"] for link in meta["links"]]
    assert labels == [
        "&laquo; Previous",
        "1",
        "2",
        "...",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "...",
        "19",
        "20",
        "Next &raquo;",
    ]
    assert [link["active"] for link in meta["links"]].index(True) == labels.index("10")


@pytest.mark.parametrize(
    ("page", "last", "window"),
    [
        pytest.param(1, 5, [1, 2, 3, 4, 5], id="small"),
        pytest.param(2, 20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None, 19, 20], id="near-start"),
        pytest.param(18, 20, [1, 2, None, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], id="near-end"),
    ],
)
async def test_laravel_url_windows(page: int, last: int, window: list[int | None]) -> None:
    """The page-number links follow Laravel's UrlWindow (3 on each side)."""
    assert _url_window(page, last) == window


async def test_a_page_past_the_last_is_empty_with_null_bounds() -> None:
    """As Laravel: the asked page number is kept, data empty, from/to null."""
    meta = json.loads(paginated("M", [1, 2], path="p", page=3, per_page=10).body)["meta"]
    assert (meta["current_page"], meta["last_page"], meta["from"], meta["to"]) == (3, 1, None, None)
