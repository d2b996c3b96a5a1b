"""The transport stack's one record of a request's attempts, and its seal.

The layers above the stack read what happened to a request only from its `AttemptLog`
(reached from the request, its response, or the failure), never from the stack's
private modules.
"""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path

import anyio
import httpx
import pytest

from easify_async import APIConnectionError, AsyncEasify, ServerError
from easify_async._routes import ROUTE_EXTENSION, SMS_SEND, SMS_STATUS, Route
from easify_async._transports import Attempt, attempt_log
from easify_async._transports._retry import RetryTransport
from easify_async.limiters import LocalLimiter
from tests._imports import PACKAGE, import_targets, module_name
from tests.fakes import Recorder, reply

pytestmark = pytest.mark.anyio

TOO_MANY = {"status": False, "message": "Too many requests. Try again in 5 seconds", "errors": []}
SERVER_ERROR = {"status": False, "message": "Server Error", "errors": []}
STATUS_OK = {
    "status": True,
    "message": "SMS status successfully fetched",
    "data": {"status": "Delivered", "remarks": ""},
}


class Sleeps(list[float]):
    """Records the waits the retry asks for, instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


async def retried(
    recorder: Recorder, route: Route, *, resend_ambiguous: bool = False, max_retries: int = 3
) -> tuple[httpx.Request, Sleeps]:
    """Send one request of ``route`` through a RetryTransport; its request and waits."""
    sleeps = Sleeps()
    transport = RetryTransport(
        recorder.transport(),
        max_retries=max_retries,
        deadline=600.0,
        resend_ambiguous=resend_ambiguous,
        sleep=sleeps,
    )
    request = httpx.Request(
        route.method, "http://127.0.0.1:9/api/v2/" + route.path, extensions={ROUTE_EXTENSION: route}
    )
    with contextlib.suppress(httpx.TransportError):  # the log is what is asserted
        await transport.handle_async_request(request)
    return request, sleeps


async def test_a_success_is_one_final_attempt_reachable_from_its_response() -> None:
    recorder = Recorder(answers=[reply()])
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        await easify.sms.send("3152930000", "+13151350000", message="hi")
    (request,) = recorder.requests
    log = attempt_log(request)
    assert log == attempt_log(httpx.Response(200, request=request))
    (only,) = log.attempts
    assert only == Attempt(
        number=1,
        status=200,
        error=None,
        not_sent=None,
        limiter_wait=only.limiter_wait,
        elapsed=only.elapsed,
        retried=False,
        why="a final reply",
    )
    assert only.limiter_wait >= 0.0
    assert only.elapsed >= 0.0
    assert not log.never_sent
    assert not log.may_have_acted_before


async def test_a_429_then_a_reply_records_the_refusal_and_the_wait() -> None:
    request, sleeps = await retried(Recorder(answers=[reply(429, TOO_MANY), reply()]), SMS_SEND)
    first, second = attempt_log(request).attempts
    assert (first.number, first.status, first.not_sent, first.retried) == (
        1,
        429,
        "rate_limited",
        True,
    )
    assert first.why == "HTTP 429, asked to wait 6 s"
    assert first.wait == sleeps[0]
    assert (second.number, second.status, second.retried, second.why) == (
        2,
        200,
        False,
        "a final reply",
    )
    assert not attempt_log(request).may_have_acted_before


async def test_a_dropped_send_says_why_it_was_not_repeated() -> None:
    request, sleeps = await retried(
        Recorder(answers=[httpx.RemoteProtocolError("peer closed"), reply()]), SMS_SEND
    )
    (only,) = attempt_log(request).attempts
    assert (only.status, only.error, only.not_sent, only.retried) == (
        None,
        "RemoteProtocolError",
        None,
        False,
    )
    assert only.why == "RemoteProtocolError: a send the server may have acted on"
    assert sleeps == []


async def test_connect_failures_out_of_retries_say_so() -> None:
    request, sleeps = await retried(
        Recorder(default=None, answers=[httpx.ConnectError("refused")] * 3),
        SMS_STATUS,
        max_retries=2,
    )
    log = attempt_log(request)
    assert [a.number for a in log.attempts] == [1, 2, 3]
    assert [a.not_sent for a in log.attempts] == ["never_connected"] * 3
    assert [a.retried for a in log.attempts] == [True, True, False]
    assert [a.wait for a in log.attempts] == [*sleeps, 0.0]
    assert log.attempts[-1].why == "ConnectError: never connected; out of retries (max_retries=2)"
    assert log.never_sent


async def test_a_5xx_on_a_status_call_is_repeated_as_idempotent_and_reachable_from_the_error() -> (
    None
):
    recorder = Recorder(default=reply(500, SERVER_ERROR))
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=1) as easify:
        with pytest.raises(ServerError) as caught:
            await easify.sms.status("1")
    log = attempt_log(caught.value)
    assert [a.status for a in log.attempts] == [500, 500]
    assert log.attempts[0].why == "HTTP 500: may have acted, repeated as an idempotent route"
    assert log.attempts[1].why == (
        "HTTP 500: may have acted, repeated as an idempotent route; out of retries (max_retries=1)"
    )
    assert log.may_have_acted_before


async def test_an_earlier_attempt_that_may_have_acted_makes_the_failure_maybe_sent() -> None:
    """A resent send whose last attempt never connected may still have been sent: the
    first attempt was cut off after it went out (maybe_sent was False before the log)."""
    recorder = Recorder(
        answers=[httpx.RemoteProtocolError("peer closed"), httpx.ConnectError("refused")]
    )
    async with AsyncEasify(
        "t", transport=recorder.transport(), max_retries=1, resend_ambiguous=True
    ) as easify:
        with pytest.raises(APIConnectionError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert caught.value.maybe_sent
    cause = caught.value.__cause__
    assert isinstance(cause, httpx.ConnectError)
    log = attempt_log(cause)
    assert [a.not_sent for a in log.attempts] == [None, "never_connected"]
    assert log.may_have_acted_before
    assert not log.never_sent


class SlowLimiter(LocalLimiter):
    """A local limiter whose every slot takes 50 ms to hand out."""

    async def acquire(self, key: str, *, limit: int, hold: float):  # type: ignore[no-untyped-def]
        await anyio.sleep(0.05)
        return await super().acquire(key, limit=limit, hold=hold)


async def test_the_limiter_wait_is_recorded_per_attempt() -> None:
    recorder = Recorder(answers=[reply(200, STATUS_OK)])
    async with AsyncEasify("t", transport=recorder.transport(), limiter=SlowLimiter()) as easify:
        await easify.sms.status("1")
    (only,) = attempt_log(recorder.requests[0]).attempts
    assert only.limiter_wait >= 0.045  # asyncio may wake a timer a tick early


def test_a_request_outside_the_stack_has_an_empty_log() -> None:
    assert attempt_log(httpx.Request("GET", "http://127.0.0.1:9/")).attempts == ()
    assert attempt_log(httpx.Response(200)).attempts == ()
    assert attempt_log(ValueError("no response")).attempts == ()


def private_transport_imports(path: Path) -> list[str]:
    """The imports in ``path`` (module level or in functions) of `_transports`' private
    modules, resolved from relative form."""
    return [
        f"{module_name(path)}:{node.lineno}: {name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in import_targets(node, path)
        if name.startswith("easify_async._transports._")
    ]


def test_nothing_outside_the_stack_imports_its_private_modules() -> None:
    transports = PACKAGE / "_transports"
    offenders = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if transports not in path.parents
        for hit in private_transport_imports(path)
    ]
    assert offenders == []


def test_the_seal_check_sees_a_private_import() -> None:
    """The check above is not vacuous: the stack's own modules import each other."""
    assert private_transport_imports(PACKAGE / "_transports" / "_stack.py")
