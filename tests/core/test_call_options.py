"""Per-call options (issue 22.1): timeout, max_retries, extra_headers, extra_query on every
call; each changes its call only, is checked before anything is sent, and never changes
whose rate-limit budget the call draws from."""

from __future__ import annotations

import asyncio
import inspect
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from easify_async import (
    APITimeoutError,
    ArgumentError,
    AsyncEasify,
    Easify,
    ReadOptions,
    RequestOptions,
    ServerError,
    WaitOptions,
)
from easify_async._transports import attempt_log
from easify_async.bulk import SmsMessage
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox
from tests._clock import virtual
from tests._served import served_asgi
from tests.fakes import Counting, Recorder, reply

pytestmark = pytest.mark.anyio

VIRTUAL = virtual()
SERVER_ERROR = {"message": "Server Error"}


async def send(easify: AsyncEasify, n: int = 0, **options: Any) -> None:
    await easify.sms.send(DEMO_FROM_NUMBER, f"+1315135{n:04d}", message="Hi", **options)


def groups(easify: AsyncEasify | Easify) -> list[tuple[str, Callable[..., Any]]]:
    """Every public call of every group, as ``(path, bound method)``."""
    found = []
    for name in ("sms", "email", "campaigns", "contact_groups", "contacts", "phone_numbers"):
        found += _calls(name, getattr(easify, name))
    found += _calls("v3.email", easify.v3.email)
    found += _calls("voice_calls", easify.voice_calls)
    found += _calls("sub_users", easify.sub_users)
    return found


def _calls(path: str, group: object) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (f"{path}.{name}", getattr(group, name))
        for name, member in inspect.getmembers(type(group), inspect.isfunction)
        if not name.startswith("_")
    ]


async def test_every_call_takes_the_options_as_its_last_parameter() -> None:
    """30 calls, each ending in ``**options`` typed by one of the three definitions:
    ReadOptions where the call reads, WaitOptions for a wait, RequestOptions otherwise."""
    async with AsyncEasify("t", base_url="http://127.0.0.1:9/api/v2") as easify:
        calls = groups(easify)
    assert len(calls) >= 30  # the discovery works: 30 calls in 10 groups today
    kinds = {}
    for path, method in calls:
        last = list(inspect.signature(method).parameters.values())[-1]
        assert last.kind is inspect.Parameter.VAR_KEYWORD, path
        kinds[path] = last.annotation
    assert kinds["sms.send"] == "Unpack[RequestOptions]"
    assert kinds["sms.report"] == "Unpack[ReadOptions]"
    assert kinds["sms.wait_for_final_status"] == "Unpack[WaitOptions]"
    assert kinds["contacts.delete"] == "Unpack[RequestOptions]"
    assert set(kinds.values()) == {
        f"Unpack[{kind.__name__}]" for kind in (RequestOptions, ReadOptions, WaitOptions)
    }


def test_the_blocking_calls_take_the_same_options() -> None:
    """The generated blocking surface ends each call in the same ``**options``."""
    with Easify("t", base_url="http://127.0.0.1:9/api/v2") as blocking:
        calls = groups(blocking)
    assert len(calls) >= 30  # the discovery works: 30 calls in 10 groups today
    for path, method in calls:
        last = list(inspect.signature(method).parameters.values())[-1]
        assert last.kind is inspect.Parameter.VAR_KEYWORD, path
        assert last.annotation.startswith("Unpack["), path


async def test_extra_headers_go_with_that_call_only_over_the_clients() -> None:
    """Sent on the call, replacing a client header of the same name (any case); the next
    call is as before; the token is the client's."""
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as parent:
        easify = parent.with_options(headers={"X-Trace": "client"})
        await send(easify, 1, extra_headers={"x-trace": "call", "X-Request-Id": "r-1"})
        await send(easify, 2)
    first, second = counting.requests
    assert first.headers.get_list("x-trace") == ["call"]
    assert first.headers["x-request-id"] == "r-1"
    assert second.headers.get_list("x-trace") == ["client"]
    assert "x-request-id" not in second.headers
    assert first.headers["authorization"] == second.headers["authorization"]


@pytest.mark.parametrize("name", ["Authorization", "authorization"])
async def test_an_authorization_extra_header_is_refused_before_anything_is_sent(
    name: str,
) -> None:
    """An ArgumentError naming extra_headers, quoting no value; in a traceback printed
    with locals only the frames the caller passed it through show it (the test's and
    the call's own ``**options``), none of the request path's."""
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        with pytest.raises(ArgumentError, match="may not set") as refused:
            await send(easify, extra_headers={name: "Bearer other-secret-9"})
    assert refused.value.argument == "extra_headers"
    assert "other-secret-9" not in str(refused.value)
    summary = traceback.TracebackException.from_exception(refused.value, capture_locals=True)
    shown = [
        (Path(frame.filename).name, frame.name)
        for frame in summary.stack
        if "other-secret-9" in repr(frame.locals)
    ]
    assert shown == [("test_call_options.py", "send"), ("sms.py", "send")]
    assert counting.requests == []


async def test_extra_query_is_added_to_a_read_and_to_each_of_its_pages() -> None:
    """A list's every page carries it; a field the call sets itself is refused at the
    call, before the walk."""
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        templates = [t async for t in easify.sms.templates(limit=1, extra_query={"tag": "a"})]
        assert len(templates) == 3
        with pytest.raises(ArgumentError, match="'page'") as clash:
            easify.sms.templates(extra_query={"page": 2})
        assert clash.value.argument == "extra_query"
        with pytest.raises(ArgumentError, match="'sms_id'"):
            await easify.sms.status("31529", extra_query={"sms_id": "1"})
        for bad in ({"a": [1]}, {"a": True}, {"": "1"}, "a=1"):
            with pytest.raises(ArgumentError) as refused:
                easify.sms.templates(extra_query=bad)  # type: ignore[arg-type]
            assert refused.value.argument == "extra_query"
    assert [r.url.params["tag"] for r in counting.requests] == ["a", "a", "a"]
    assert [r.url.params["page"] for r in counting.requests] == ["1", "2", "3"]


async def test_an_option_a_call_lacks_is_a_type_error_and_nothing_is_sent() -> None:
    """As Python says for a keyword a function lacks: a send has no query; a misspelt
    option is no option."""
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        with pytest.raises(TypeError, match="'extra_query'"):
            await send(easify, extra_query={"a": "1"})
        with pytest.raises(TypeError, match="'timeot'"):
            await easify.sms.status("31529", timeot=5)
        with pytest.raises(TypeError, match="'timeot'"):
            easify.sms.templates(timeot=5)
    assert counting.requests == []


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, read=-1.0)}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"extra_headers": {"X-A": "1\r\nX-B: 2"}}, "extra_headers"),
        ({"extra_headers": "X-A: 1"}, "extra_headers"),
    ],
)
async def test_a_bad_option_value_is_an_argument_error_before_a_slot_is_spent(
    options: dict[str, Any], argument: str
) -> None:
    """Checked before the request: nothing reaches the server, no slot is taken (16
    good sends still go within the minute's 15 + the first: none is refused)."""
    sandbox = Sandbox()
    counting = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        with pytest.raises(ArgumentError) as refused:
            await send(easify, **options)
        assert refused.value.argument == argument
        with pytest.raises(ArgumentError):
            easify.sms.send_many([SmsMessage(DEMO_FROM_NUMBER, "+13151350000")], **options)
    assert counting.requests == []


async def test_max_retries_changes_that_call_only() -> None:
    """max_retries=0: one attempt, and the log says why it stopped; the next call takes
    the client's 1 retry."""
    recorder = Recorder(default=reply(500, SERVER_ERROR))
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=1) as easify:
        with pytest.raises(ServerError) as once:
            await easify.sms.status("1", max_retries=0)
        assert len(recorder.requests) == 1
        # Read now: the recorder answers every request with one reply object.
        assert attempt_log(once.value).attempts[-1].why.endswith("out of retries (max_retries=0)")
        with pytest.raises(ServerError):
            await easify.sms.status("1")
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_more_retries_for_one_call() -> None:
    """max_retries=3 on a client of 0: four attempts for that call, one for the next."""
    recorder = Recorder(default=reply(500, SERVER_ERROR))
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(ServerError):
            await easify.sms.status("1", max_retries=3)
        with pytest.raises(ServerError):
            await easify.sms.status("1")
    assert len(recorder.requests) == 5


async def test_timeout_is_that_calls_only() -> None:
    """Each attempt of the call carries the call's timeout; the next call the client's."""
    recorder = Recorder()
    async with AsyncEasify("t", transport=recorder.transport(), timeout=30.0) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="a", timeout=2.5)
        await easify.sms.send("3152930000", "+13151350000", message="b")
        await easify.sms.send(
            "3152930000", "+13151350000", message="c", timeout=httpx.Timeout(1.0, read=4.0)
        )
    timeouts = [r.extensions["timeout"] for r in recorder.requests]
    assert timeouts[0] == httpx.Timeout(2.5).as_dict()
    assert timeouts[1] == httpx.Timeout(30.0).as_dict()
    assert timeouts[2] == httpx.Timeout(1.0, read=4.0).as_dict()


async def test_a_call_timeout_cuts_a_stalled_reply_over_a_real_socket() -> None:
    """Against a server that never answers, a status read with ``timeout=0.2`` fails as a
    timeout while the client's read timeout is 60 s (the test's own bound: 20 s)."""
    stalled = threading.Event()  # the server runs on a loop of its own, in a thread

    async def never(request: Request) -> Response:
        while not stalled.is_set():
            await asyncio.sleep(0.01)
        return Response(b"")

    app = Starlette(routes=[StarletteRoute("/api/v2/{rest:path}", never, methods=["GET"])])
    async with served_asgi(app) as origin:
        try:
            async with AsyncEasify(
                "t", base_url=f"{origin}/api/v2", timeout=60.0, max_retries=0
            ) as easify:
                with anyio.fail_after(20), pytest.raises(APITimeoutError):
                    await easify.sms.status("1", timeout=0.2)
        finally:
            stalled.set()


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_options_never_change_whose_budget_a_call_draws_from() -> None:
    """The token's 16th send waits for the next window, options or not."""
    sandbox = Sandbox(clock=anyio.current_time)
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        start = anyio.current_time()
        for n in range(15):
            await send(easify, n, timeout=5, max_retries=0, extra_headers={"X-N": str(n)})
        assert anyio.current_time() - start < 1.0
        await send(easify, 99, max_retries=5)
        assert anyio.current_time() - start >= 60.0
    assert sandbox.rejected_requests == 0


async def test_a_bulk_run_sends_each_item_with_the_options() -> None:
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        items = [SmsMessage(DEMO_FROM_NUMBER, f"+1315135000{n}", message="Hi") for n in range(3)]
        results = [r async for r in easify.sms.send_many(items, extra_headers={"X-Run": "7"})]
    assert len(results) == 3
    assert [r.headers["x-run"] for r in counting.requests] == ["7", "7", "7"]


async def test_a_wait_passes_its_options_to_each_status_read() -> None:
    """The wait's ``timeout`` is the whole wait; its options go with every read."""
    sandbox = Sandbox()
    counting = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        sent = await easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi")
        final = await easify.sms.wait_for_final_status(
            sent.sms_id, timeout=60, poll_interval=0.01, extra_query={"w": "1"}
        )
    assert final.status.is_final
    reads = [r for r in counting.requests if r.method == "GET"]
    assert reads
    assert all(r.url.params["w"] == "1" for r in reads)


def test_the_blocking_client_takes_the_same_options() -> None:
    counting = Counting(Sandbox().transport())
    with Easify(DEMO_TOKEN, transport=counting) as easify:
        easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", extra_headers={"X-B": "1"})
        with pytest.raises(TypeError, match="'extra_query'"):
            easify.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Hi", extra_query={})
        templates = list(easify.sms.templates(extra_query={"q": "x"}))
    assert templates
    assert counting.requests[0].headers["x-b"] == "1"
    assert all(r.url.params["q"] == "x" for r in counting.requests[1:])
