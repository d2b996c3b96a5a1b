"""raw_responses(): the raw reply of each call beside its parsed result, no second request."""

from __future__ import annotations

import datetime
import json

import anyio
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from easify_async import AsyncEasify, InvalidSenderError, RawResponse, RawResponses
from easify_async._raw import _Headers
from easify_async.bulk import SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._leaks import token_forms
from tests._served import served

pytestmark = pytest.mark.anyio


async def send(easify: AsyncEasify, n: int = 0) -> str:
    sent = await easify.sms.send(DEMO_FROM_NUMBER, f"+1315135{n:04d}", message="Hi")
    return sent.sms_id


async def test_a_send_reply_is_recorded_beside_its_result_over_a_socket() -> None:
    """Status, rate-limit headers (any case), body as received, route, elapsed; one request."""
    sandbox = Sandbox()
    async with (
        served(sandbox) as base_url,
        AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify,
        easify.raw_responses() as raw,
    ):
        sms_id = await send(easify)
    assert len(sandbox.sent_sms) == 1  # the reply parsed is the one kept
    assert raw.all == (raw.last,)
    reply = raw.last
    assert isinstance(reply, RawResponse)
    assert reply.status == 200
    assert reply.route == "POST sms/send"
    assert json.loads(reply.body)["data"]["sms_id"] == sms_id
    remaining = reply.headers["X-RateLimit-Remaining"]
    assert int(remaining) >= 0
    assert reply.headers["x-ratelimit-remaining"] == remaining
    assert "X-RATELIMIT-LIMIT" in reply.headers
    assert reply.headers.get("Retry-After") is None
    assert isinstance(reply.elapsed, datetime.timedelta)
    assert reply.elapsed >= datetime.timedelta(0)


async def test_the_headers_and_the_reply_are_read_only() -> None:
    """A recorded reply cannot be changed: frozen, its headers a read-only mapping."""
    async with (
        AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify,
        easify.raw_responses() as raw,
    ):
        await send(easify)
    reply = raw.last
    with pytest.raises(TypeError):
        reply.headers["X-RateLimit-Remaining"] = "1000"  # type: ignore[index]
    with pytest.raises(AttributeError):
        reply.status = 500  # type: ignore[misc]
    assert reply == raw.all[0]
    assert hash(reply) == hash(raw.all[0])
    assert "bytes>" in repr(reply)
    assert reply.body.decode() not in repr(reply)  # the body (data) is not in a log line


async def test_every_page_of_a_walk_and_every_call_are_recorded_in_order() -> None:
    """A walk over three pages is three replies; calls of a with_options client count too."""
    sandbox = Sandbox()
    for n in range(3):
        sandbox.extra.add_sub_user(DEMO_TOKEN, email=f"u{n}@x.example")
    async with (
        AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify,
        easify.raw_responses() as raw,
    ):
        users = [user async for user in easify.sub_users.list(limit=1)]
        await send(easify.with_options(timeout=5.0))
    assert len(users) == 3
    assert [r.route for r in raw.all] == ["GET sub-user/tokens"] * 3 + ["POST sms/send"]
    pages = [json.loads(r.body)["meta"]["current_page"] for r in raw.all[:3]]
    assert pages == [1, 2, 3]


async def test_only_calls_inside_the_block_are_recorded_and_blocks_nest() -> None:
    """Before and after the block nothing is kept; an outer block also has the inner's."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        await send(easify, 1)
        async with easify.raw_responses() as outer:
            await send(easify, 2)
            async with easify.raw_responses() as inner:
                await send(easify, 3)
            await send(easify, 4)
        await send(easify, 5)
    recipients = [json.loads(r.body)["data"]["sms_id"] for r in outer.all]
    assert len(recipients) == 3
    assert inner.all == (outer.all[1],)


async def test_a_refused_call_is_recorded_with_the_reply_its_error_carries() -> None:
    """The error's `.response` and the recorded reply are the same reply."""
    async with (
        AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify,
        easify.raw_responses() as raw,
    ):
        with pytest.raises(InvalidSenderError) as refused:
            await easify.sms.send("+13155550100", "+13151350000", message="Hi")
    assert raw.last.status == refused.value.response.status_code != 200
    assert raw.last.body == refused.value.response.content


async def test_tasks_started_inside_the_block_are_recorded_others_are_not() -> None:
    """The block follows the context: a task it starts counts, a task started before not."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        go = anyio.Event()
        done = anyio.Event()

        async def outsider() -> None:
            await go.wait()
            await send(easify, 9)
            done.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(outsider)
            async with easify.raw_responses() as raw:
                async with anyio.create_task_group() as inside:
                    inside.start_soon(send, easify, 1)
                    inside.start_soon(send, easify, 2)
                go.set()
                await done.wait()
    assert len(raw.all) == 2


async def test_no_form_of_the_token_is_recorded() -> None:
    """The request is not kept: no form of the token in the replies, their reprs, headers."""
    sandbox = Sandbox()
    async with (
        served(sandbox) as base_url,
        AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify,
        easify.raw_responses() as raw,
    ):
        await send(easify)
        await easify.sms.status(await send(easify, 1))
    text = (
        repr(raw)
        + repr(raw.all)
        + "".join(f"{dict(r.headers)!r}{r.body!r}{r.body.decode()}" for r in raw.all)
    )
    assert len(raw.all) == 3
    shown = [form for form in token_forms(DEMO_TOKEN) if form in text]
    assert not shown


async def test_last_before_any_call_and_entering_twice_are_errors() -> None:
    """`last` of an empty block is a LookupError; a block entered twice a RuntimeError."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        block = easify.raw_responses()
        assert isinstance(block, RawResponses)
        with block:
            with pytest.raises(LookupError, match="no reply recorded"):
                block.last  # noqa: B018 - the property raises
            with pytest.raises(RuntimeError, match="already entered"):
                block.__enter__()
        assert block.all == ()


async def test_each_item_of_a_bulk_run_is_recorded() -> None:
    """A bulk run's workers are tasks started inside the block: each send is recorded."""
    async with (
        AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify,
        easify.raw_responses() as raw,
    ):
        items = [
            SmsMessage(from_number=DEMO_FROM_NUMBER, to_number=f"+1315135{n:04d}", message="Hi")
            for n in range(3)
        ]
        results = [result async for result in easify.sms.send_many(items)]
    assert len(results) == 3
    assert [r.route for r in raw.all] == ["POST sms/send"] * 3
    recorded = {json.loads(r.body)["data"]["sms_id"] for r in raw.all}
    assert recorded == {result.sms_id for result in results}


@given(
    pairs=st.lists(
        st.tuples(
            st.text("abcXYZ-_", min_size=1, max_size=6),
            st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8),
        ),
        max_size=6,
    ),
)
def test_the_recorded_headers_read_as_httpx_reads_them(pairs: list[tuple[str, str]]) -> None:
    """Any headers: every name, in any case, gives httpx's (joined) value; no name more."""
    headers = httpx.Headers(pairs)
    recorded = _Headers(headers)
    assert len(recorded) == len(set(headers.keys()))
    for name, _ in pairs:
        assert recorded[name.upper()] == recorded[name.lower()] == headers[name]
        assert name.swapcase() in recorded
    assert dict(recorded) == dict(headers.items())
