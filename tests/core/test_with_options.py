"""with_options: one connection pool and one limiter, settings changed, closing in order."""

from __future__ import annotations

import anyio
import httpx
import pytest

from easify_async import ArgumentError, AsyncEasify, RateLimitError
from easify_async.sandbox import DEMO_FROM_NUMBER, DEMO_TOKEN, Sandbox, serve
from tests._clock import virtual
from tests._leaks import rendered
from tests.fakes import Counting

pytestmark = pytest.mark.anyio

VIRTUAL = virtual()


async def send(easify: AsyncEasify, n: int = 0) -> None:
    await easify.sms.send(DEMO_FROM_NUMBER, f"+1315135{n:04d}", message="Hi")


async def test_the_child_sends_through_the_parent_transport_with_its_settings() -> None:
    """Same transport object, the child's token in its header; the token shows in no repr."""
    sandbox = Sandbox()
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    counting = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        child = easify.with_options(api_token=sub.token, timeout=3.0, max_retries=0)
        await send(easify)
        await send(child)
    assert [r.headers["authorization"] for r in counting.requests] == [
        f"Bearer {DEMO_TOKEN}",
        f"Bearer {sub.token}",
    ]
    assert counting.requests[1].extensions["timeout"]["read"] == 3.0
    assert [s.token for s in sandbox.sent_sms] == [DEMO_TOKEN, sub.token]
    assert sub.token not in repr(child)
    assert sub.token not in repr(child._settings)
    assert child._settings.max_retries == 0


async def test_over_a_socket_the_child_reuses_the_parent_connection() -> None:
    """Over uvicorn, parent and child calls share one pooled keep-alive connection."""
    sandbox = Sandbox()
    async with serve(sandbox) as base_url, AsyncEasify(DEMO_TOKEN, base_url=base_url) as easify:
        child = easify.with_options(timeout=10.0)
        await send(easify, 1)
        await send(child, 2)
        await send(easify.with_options(retry_deadline=5.0), 3)
        # One connection per place at the gate, and one place: the first, reused.
        (pool, *unused) = easify._pool._pools
        assert unused == [None] * 99
        assert len(pool._pool.connections) == 1  # type: ignore[union-attr]
    assert len(sandbox.sent_sms) == 3


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_another_token_has_its_own_budget_and_the_same_token_shares_it() -> None:
    """A sub-user's 15 sends do not wait for the main token's; a same-token child does."""
    sandbox = Sandbox(clock=anyio.current_time)
    sub = sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        as_sub = easify.with_options(api_token=sub.token)
        start = anyio.current_time()
        for n in range(15):
            await send(easify, n)
            await send(as_sub, n)
        assert anyio.current_time() - start < 1.0
        await send(easify.with_options(timeout=5.0), 99)
        assert anyio.current_time() - start >= 60.0
    assert sandbox.rejected_requests == 0
    assert len(sandbox.sent_sms) == 31


async def test_closing_the_child_leaves_the_parent_and_the_pool_open() -> None:
    """async with on the child closes nothing shared; the parent goes on sending."""
    sandbox = Sandbox()
    counting = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        async with easify.with_options(timeout=5.0) as child:
            await send(child)
        assert counting.closed == 0
        await send(easify)
    assert counting.closed == 1
    assert len(sandbox.sent_sms) == 2


async def test_a_child_of_a_closed_parent_raises_a_clear_error() -> None:
    """Once the parent closed the pool, the child says so instead of sending."""
    sandbox = Sandbox()
    easify = AsyncEasify(DEMO_TOKEN, transport=sandbox.transport())
    grandchild = easify.with_options(timeout=5.0).with_options(max_retries=0)
    await easify.aclose()
    with pytest.raises(RuntimeError, match="has been closed"):
        await send(grandchild)
    assert sandbox.sent_sms == []


async def test_a_user_http_client_is_shared_and_never_closed() -> None:
    """With http_client=, the child sends through it too, and closing both leaves it open."""
    sandbox = Sandbox()
    async with httpx.AsyncClient(transport=sandbox.transport()) as own:
        async with (
            AsyncEasify(DEMO_TOKEN, http_client=own) as easify,
            easify.with_options(max_retries=1) as child,
        ):
            await send(child)
        assert not own.is_closed
    assert len(sandbox.sent_sms) == 1


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        pytest.param({"api_token": " "}, "api_token", id="blank-token"),
        pytest.param({"max_retries": -1}, "max_retries", id="negative-retries"),
        pytest.param({"base_url": "127.0.0.1:8025/api/v2"}, "base_url", id="bad-base-url"),
    ],
)
def test_bad_changes_are_argument_errors(changes: dict[str, object], argument: str) -> None:
    """with_options checks what it changes as the constructor does."""
    easify = AsyncEasify("t", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    with pytest.raises(ArgumentError) as caught:
        easify.with_options(**changes)  # type: ignore[arg-type]
    assert caught.value.argument == argument


async def test_without_client_limits_the_child_shares_none_either() -> None:
    """rate_limits=None stays off in the child: the server's 429 is what stops it."""
    sandbox = Sandbox()
    async with (
        sandbox,
        AsyncEasify(
            DEMO_TOKEN, transport=sandbox.transport(), rate_limits=None, max_retries=0
        ) as easify,
    ):
        child = easify.with_options(timeout=5.0)
        for n in range(15):
            await send(child, n)
        with pytest.raises(RateLimitError):
            await send(easify, 15)


async def test_extra_headers_go_with_every_call_of_the_child_and_its_children() -> None:
    """with_options(headers=): sent on every call, pages too; a child's name replaces its
    parent's in any case; the defaults may be replaced, the token's header stays."""
    sandbox = Sandbox()
    sandbox.extra.add_sub_user(DEMO_TOKEN, email="ann@x.example")
    counting = Counting(sandbox.transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        child = easify.with_options(headers={"X-Trace": "a", "User-Agent": "mine/1"})
        grandchild = child.with_options(headers={"x-trace": "b", "X-More": " padded\t"})
        await send(easify)
        await send(child)
        assert [user async for user in child.sub_users.list(limit=1)]
        await send(grandchild)
    parent, *of_child, of_grandchild = counting.requests
    assert "x-trace" not in parent.headers
    assert parent.headers["user-agent"].startswith("easify-async/")
    assert len(of_child) == 2  # the send and the page
    for request in of_child:
        assert request.headers.get_list("x-trace") == ["a"]
        assert request.headers.get_list("user-agent") == ["mine/1"]
    assert of_grandchild.headers.get_list("x-trace") == ["b"]
    assert of_grandchild.headers["user-agent"] == "mine/1"
    assert of_grandchild.headers["x-more"] == "padded"
    for request in counting.requests:
        assert request.headers.get_list("authorization") == [f"Bearer {DEMO_TOKEN}"]
    assert len(sandbox.sent_sms) == 3


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION"])
async def test_an_authorization_header_in_any_case_is_refused(name: str) -> None:
    """The token is api_token's: an extra Authorization is an ArgumentError on `headers`."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        with pytest.raises(ArgumentError, match="may not set") as refused:
            easify.with_options(headers={name: "Bearer other-secret-9"})
    assert refused.value.argument == "headers"
    assert "other-secret-9" not in str(refused.value)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-A": "1\r\nX-Injected: 1"},
        {"X-A": "nul\x00"},
        {"X-A": "caf\u00e9"},
        {"X-A": "\u00a0secret-9"},
        {"X-A": 5},
        {"Bad Name": "1"},
        {"X:A": "1"},
        {"": "1"},
        {5: "1"},
        {"X-A": "1", "x-a": "2"},
        "X-A: 1",
        [("X-A", "1")],
    ],
    ids=[
        "crlf",
        "nul",
        "non-ascii",
        "no-break-space",
        "int-value",
        "space-in-name",
        "colon-in-name",
        "empty-name",
        "int-name",
        "twice",
        "a-string",
        "a-list",
    ],
)
async def test_headers_a_request_cannot_carry_are_refused(headers: object) -> None:
    """A name or value no header can carry is an ArgumentError naming `headers`, which
    quotes no value; nothing is sent."""
    counting = Counting(Sandbox().transport())
    async with AsyncEasify(DEMO_TOKEN, transport=counting) as easify:
        with pytest.raises(ArgumentError) as refused:
            easify.with_options(headers=headers)  # type: ignore[arg-type]
    assert refused.value.argument == "headers"
    assert "secret-9" not in str(refused.value)
    assert counting.requests == []


@pytest.mark.parametrize("anyio_backend", VIRTUAL)
async def test_a_child_with_extra_headers_keeps_the_token_budget() -> None:
    """Extra headers change what is sent, not whose budget: the token's 16th send waits."""
    sandbox = Sandbox(clock=anyio.current_time)
    async with sandbox, AsyncEasify(DEMO_TOKEN, transport=sandbox.transport()) as easify:
        start = anyio.current_time()
        for n in range(15):
            await send(easify, n)
        assert anyio.current_time() - start < 1.0
        await send(easify.with_options(headers={"X-Trace": "t"}), 99)
        assert anyio.current_time() - start >= 60.0
    assert sandbox.rejected_requests == 0
    assert len(sandbox.sent_sms) == 16


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer other-secret-9"},
        {"X-Proxy-Key": "secret-9\r\n"},
        {"X-Proxy-Key": "\u00a0secret-9"},
        {"X-Proxy-Key": "secret-9", "x-proxy-key": "secret-9"},
        {"X-Proxy-Key": "secret-9", "Bad Name": "1"},
    ],
    ids=["authorization", "crlf", "no-break-space", "twice", "bad-name-after"],
)
async def test_a_refused_header_value_is_in_no_frame_of_the_traceback(headers: object) -> None:
    """Header values may be a proxy's key: a traceback printed with every frame's locals
    (Sentry, rich) shows none of them when `with_options(headers=)` refuses."""
    async with AsyncEasify(DEMO_TOKEN, transport=Sandbox().transport()) as easify:
        with pytest.raises(ArgumentError) as refused:
            easify.with_options(headers=headers)  # type: ignore[arg-type]
    assert "secret-9" not in rendered(refused.value)
