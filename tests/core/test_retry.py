"""Which attempts are repeated, and how long the retry waits, decided in one place."""

from __future__ import annotations

import logging
import time
from email.utils import formatdate

import anyio
import httpx
import pytest

from easify_async import (
    APIConnectionError,
    AsyncEasify,
    RateLimit,
    RateLimitError,
    RateLimits,
    ServerError,
    SmsStatus,
)
from easify_async._routes import ROUTE_EXTENSION, SMS_SEND, SMS_STATUS, Route
from easify_async._transports._retry import RetryTransport
from easify_async.limiters import LocalLimiter
from tests.fakes import Recorder, reply

pytestmark = pytest.mark.anyio

TOO_MANY = {"status": False, "message": "Too many requests. Try again in 59 seconds", "errors": []}
STATUS_OK = {
    "status": True,
    "message": "SMS status successfully fetched",
    "data": {"status": "Delivered", "remarks": ""},
}


class Sleeps(list[float]):
    """Records the waits the retry asks for, instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


async def attempt(
    recorder: Recorder,
    route: Route,
    *,
    resend_ambiguous: bool = False,
    max_retries: int = 3,
    rate_limits: RateLimits = RateLimits(),  # noqa: B008 - a frozen value
) -> tuple[httpx.Response, Sleeps]:
    sleeps = Sleeps()
    transport = RetryTransport(
        recorder.transport(),
        max_retries=max_retries,
        deadline=600.0,
        resend_ambiguous=resend_ambiguous,
        rate_limits=rate_limits,
        sleep=sleeps,
    )
    request = httpx.Request(
        route.method, "http://127.0.0.1:9/api/v2/" + route.path, extensions={ROUTE_EXTENSION: route}
    )
    response = await transport.handle_async_request(request)
    return response, sleeps


async def test_429_is_retried_after_the_stated_wait_read_as_early() -> None:
    """'Try again in 59 seconds' waits 60 s plus at most 1 s of jitter, then succeeds."""
    recorder = Recorder(answers=[reply(429, TOO_MANY), reply()])
    response, sleeps = await attempt(recorder, SMS_SEND)
    assert response.status_code == 200
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1
    assert 60.0 <= sleeps[0] <= 61.0


async def test_retry_after_header_wins_over_the_body() -> None:
    """A Retry-After header is read before the message text."""
    recorder = Recorder(answers=[reply(429, TOO_MANY, **{"Retry-After": "5"}), reply()])
    _, sleeps = await attempt(recorder, SMS_SEND)
    assert 6.0 <= sleeps[0] <= 6.6


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ReadTimeout("read"), id="read-timeout"),
        pytest.param(httpx.RemoteProtocolError("dropped"), id="dropped"),
        pytest.param(httpx.WriteError("broken pipe"), id="write-error"),
    ],
)
async def test_an_ambiguous_send_failure_is_not_resent(failure: Exception) -> None:
    """After the body may have gone out, a send is tried once only."""
    recorder = Recorder(answers=[failure, reply()])
    with pytest.raises(type(failure)):
        await attempt(recorder, SMS_SEND)
    assert len(recorder.requests) == 1


async def test_a_5xx_on_a_send_is_not_resent() -> None:
    """A 5xx after a send may hide a sent message: returned, not repeated."""
    recorder = Recorder(answers=[reply(503, "busy"), reply()])
    response, _ = await attempt(recorder, SMS_SEND)
    assert response.status_code == 503
    assert len(recorder.requests) == 1


async def test_resend_ambiguous_opts_in_to_repeating_a_send() -> None:
    """With resend_ambiguous the same failures are retried with backoff."""
    recorder = Recorder(answers=[httpx.ReadTimeout("read"), reply(502, "bad gateway"), reply()])
    response, sleeps = await attempt(recorder, SMS_SEND, resend_ambiguous=True)
    assert response.status_code == 200
    assert len(recorder.requests) == 3
    assert all(0 <= s <= 8.0 for s in sleeps)


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ConnectError("refused"), id="connect-error"),
        pytest.param(httpx.ConnectTimeout("slow"), id="connect-timeout"),
        pytest.param(httpx.PoolTimeout("pool"), id="pool-timeout"),
    ],
)
async def test_a_connect_failure_is_resent_even_for_a_send(failure: Exception) -> None:
    """The server never saw the request, so sending it again cannot duplicate it."""
    recorder = Recorder(answers=[failure, reply()])
    response, sleeps = await attempt(recorder, SMS_SEND)
    assert response.status_code == 200
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ReadTimeout("read"), id="read-timeout"),
        pytest.param(reply(500, "oops"), id="500"),
        pytest.param(reply(503, "<html>down</html>"), id="503-html"),
        pytest.param(httpx.RemoteProtocolError("dropped"), id="dropped"),
    ],
)
async def test_status_calls_are_retried_on_timeouts_and_5xx(
    failure: Exception | httpx.Response,
) -> None:
    """A GET is harmless to repeat: retried with jittered exponential backoff."""
    recorder = Recorder(answers=[failure, failure, reply(200, STATUS_OK)])
    response, sleeps = await attempt(recorder, SMS_STATUS)
    assert response.status_code == 200
    assert len(sleeps) == 2
    assert all(0 <= s <= 8.0 for s in sleeps)


async def test_retries_stop_at_max_retries_and_hand_back_the_last_reply() -> None:
    """max_retries=2 means three attempts; the last 5xx is returned for mapping."""
    recorder = Recorder(default=reply(500, "oops"))
    response, sleeps = await attempt(recorder, SMS_STATUS, max_retries=2)
    assert response.status_code == 500
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


async def test_client_maps_exhausted_status_retries_to_server_error() -> None:
    """Through the client, a status call that keeps failing ends in ServerError."""
    recorder = Recorder(
        default=reply(500, {"status": False, "message": "Server Error", "errors": []})
    )
    async with AsyncEasify("t", transport=recorder.transport(), max_retries=0) as easify:
        with pytest.raises(ServerError):
            await easify.sms.status("1")


async def test_client_surfaces_a_dropped_send_as_maybe_sent_without_resending() -> None:
    """End to end: a dropped send raises maybe_sent=True and was attempted exactly once."""
    recorder = Recorder(answers=[httpx.RemoteProtocolError("peer closed"), reply()])
    async with AsyncEasify("t", transport=recorder.transport()) as easify:
        with pytest.raises(APIConnectionError) as caught:
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert caught.value.maybe_sent
    assert len(recorder.requests) == 1


async def test_client_resends_after_connect_failure_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """End to end: a refused connection is retried; the retry is logged without the token."""
    recorder = Recorder(answers=[httpx.ConnectError("refused"), reply(200, STATUS_OK)])
    caplog.set_level(logging.DEBUG, logger="easify_async")
    async with AsyncEasify("1087|top-secret-token", transport=recorder.transport()) as easify:
        info = await easify.sms.status("1")
    assert info.status is SmsStatus.DELIVERED
    assert len(recorder.requests) == 2
    assert "ConnectError, retry 1" in caplog.text
    assert "top-secret" not in caplog.text


def http_date(offset: float) -> str:
    return formatdate(time.time() + offset, usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [
        pytest.param("nan", 60.0, 61.0, id="nan-reads-the-body"),
        pytest.param("inf", 60.0, 61.0, id="inf-reads-the-body"),
        pytest.param("-5", 60.0, 61.0, id="negative-reads-the-body"),
        pytest.param("1_0", 60.0, 61.0, id="underscores-read-the-body"),
        pytest.param("2.5", 3.5, 3.9, id="decimal"),
        pytest.param("0", 2.0, 2.2, id="zero-is-the-least"),
    ],
)
async def test_odd_retry_after_values_are_read_or_ignored(
    retry_after: str, low: float, high: float
) -> None:
    """A Retry-After that is not finite ASCII seconds is ignored: the body's wait is used."""
    recorder = Recorder(answers=[reply(429, TOO_MANY, **{"Retry-After": retry_after}), reply()])
    _, sleeps = await attempt(recorder, SMS_SEND)
    assert len(sleeps) == 1
    assert low <= sleeps[0] <= high


@pytest.mark.parametrize(
    ("offset", "low", "high"),
    [
        pytest.param(30.0, 28.0, 34.0, id="future"),
        pytest.param(-3600.0, 2.0, 2.2, id="past-is-now"),
    ],
)
async def test_an_http_date_retry_after_is_read_as_seconds_from_now(
    offset: float, low: float, high: float
) -> None:
    """Retry-After as an HTTP date waits until then (at least the 2 s floor)."""
    recorder = Recorder(answers=[reply(429, "", **{"Retry-After": http_date(offset)}), reply()])
    _, sleeps = await attempt(recorder, SMS_SEND)
    assert low <= sleeps[0] <= high


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(TOO_MANY, {"Retry-After": "99999999"}, id="header"),
        pytest.param(
            {"status": False, "message": "Too many requests. Try again in 99999999 seconds"},
            {},
            id="body",
        ),
        pytest.param(TOO_MANY, {"Retry-After": http_date(10 * 365 * 86400)}, id="http-date"),
        pytest.param(TOO_MANY, {"Retry-After": "9" * 400}, id="overflows-to-inf"),
    ],
)
async def test_a_wait_over_three_windows_is_handed_back_at_once(
    body: object, headers: dict[str, str]
) -> None:
    """A 429 asking for more than 3 periods + 2 s is not waited: no sleep, no retry."""
    recorder = Recorder(answers=[reply(429, body, **headers), reply()])
    response, sleeps = await attempt(recorder, SMS_SEND)
    assert response.status_code == 429
    assert sleeps == []
    assert len(recorder.requests) == 1


async def test_the_cap_follows_the_route_period() -> None:
    """With 10 s windows a 40 s wait is over the cap (32 s); with 60 s windows it is waited."""
    short = RateLimits(sms_send=RateLimit(15, 10.0))
    for rate_limits, waited in [(short, False), (RateLimits(), True)]:
        recorder = Recorder(answers=[reply(429, TOO_MANY, **{"Retry-After": "39"}), reply()])
        _, sleeps = await attempt(recorder, SMS_SEND, rate_limits=rate_limits)
        assert bool(sleeps) is waited


class PauseLog(LocalLimiter):
    """The default limiter, recording the pauses asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.pauses: list[float] = []

    async def pause(self, key: str, seconds: float) -> None:
        self.pauses.append(seconds)
        await super().pause(key, seconds)


async def test_an_absurd_wait_fails_the_call_and_does_not_pause_the_limiter() -> None:
    """'Try again in 99999999 seconds' raises RateLimitError at once; others are not held."""
    absurd = {"status": False, "message": "Too many requests. Try again in 99999999 seconds"}
    recorder = Recorder(answers=[reply(429, absurd), reply()])
    limiter = PauseLog()
    async with AsyncEasify("t", transport=recorder.transport(), limiter=limiter) as easify:
        with anyio.fail_after(5):  # a pause would hold the second send for years
            with pytest.raises(RateLimitError) as caught:
                await easify.sms.send("3152930000", "+13151350000", message="hi")
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert caught.value.retry_after == 100000000.0
    assert caught.value.maybe_sent is False
    assert limiter.pauses == []


async def test_a_stated_wait_within_the_cap_pauses_the_limiter() -> None:
    """A 429 saying 5 s pauses the route for every caller sharing the limiter, for 6 s."""
    recorder = Recorder(answers=[reply(429, TOO_MANY, **{"Retry-After": "5"})])
    limiter = PauseLog()
    async with AsyncEasify(
        "t", transport=recorder.transport(), limiter=limiter, max_retries=0
    ) as easify:
        with pytest.raises(RateLimitError):
            await easify.sms.send("3152930000", "+13151350000", message="hi")
    assert limiter.pauses == [6.0]
