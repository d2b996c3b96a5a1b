"""A transport that retries, with tenacity, exactly the attempts that are safe to repeat."""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import anyio
import httpx
from attrs import define, field

if TYPE_CHECKING:
    from tenacity import AsyncRetrying, RetryCallState

from .._rate_limits import RateLimits
from .._retry_after import longest_wait, server_wait
from .._routes import ROUTE_EXTENSION, AnyRoute
from ._attempts import ATTEMPTS_EXTENSION, Attempt, NotSentReason, Recorder
from ._bounded import STATUS_EXTENSION

__all__ = [
    "MAX_RETRIES_EXTENSION",
    "RetryTransport",
    "is_never_sent",
    "not_sent_reason",
    "refused_before_cut_off",
]

#: Request extension holding one call's own ``max_retries`` (a per-call option).
MAX_RETRIES_EXTENSION = "easify.max_retries"

logger = logging.getLogger("easify_async")

# The connection was never made (or never got out of the pool): the server cannot
# have seen the request, so even a send may go again.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# Why a whole reply ended the call: the common case, one constant.
_FINAL = "a final reply"


def is_never_sent(exc: BaseException, request: httpx.Request) -> bool:
    """Whether a transport failure of ``request`` proves the server did not act on it.

    True when the connection was never made, and when the reply's head said 429 before
    the connection failed: the throttle refused it (and did not count it) then.
    """
    return isinstance(exc, _NEVER_SENT) or (
        isinstance(exc, httpx.TransportError) and refused_before_cut_off(request)
    )


def refused_before_cut_off(request: httpx.Request) -> bool:
    """Whether the current attempt's reply was a 429 whose head arrived."""
    return request.extensions.get(STATUS_EXTENSION) == 429


def not_sent_reason(
    outcome: httpx.Response | BaseException, request: httpx.Request
) -> NotSentReason | None:
    """Why the server certainly did not act on an attempt; ``None`` when it may have."""
    if isinstance(outcome, BaseException):
        if not is_never_sent(outcome, request):
            return None
        return "rate_limited" if refused_before_cut_off(request) else "never_connected"
    return "rate_limited" if outcome.status_code == 429 else None


@define(eq=False)  # a live object: equal only to itself
class RetryTransport(httpx.AsyncBaseTransport):
    """Repeats an attempt when the server certainly did not act, or when repeating is harmless.

    The one place that decides, from facts about the attempt:

    * 429: retried after the server's stated wait plus jitter, unless that wait is
      longer than `longest_wait` for the route's period (then handed back at once);
    * connection never made (connect error/timeout, pool timeout), or cut off after a
      429's head arrived: always retried (the rate-limit layer pauses for the latter);
    * read timeout, dropped connection, 5xx: retried for idempotent routes (status
      calls) with jittered exponential backoff; for a send only with ``resend_ambiguous``.

    Bounded by ``max_retries`` and by ``deadline`` seconds counted from the first
    failed attempt: no retry starts whose wait would end past the deadline.
    """

    _inner: httpx.AsyncBaseTransport
    _max_retries: int = field(kw_only=True)
    _deadline: float = field(kw_only=True)
    _resend_ambiguous: bool = field(kw_only=True)
    _rate_limits: RateLimits = field(kw_only=True, factory=RateLimits)
    _sleep: Callable[[float], Awaitable[None]] = field(kw_only=True, default=anyio.sleep)

    @functools.cached_property
    def _retrying(self) -> AsyncRetrying:
        # Built at the first retry: most clients never retry, and tenacity's import and
        # set-up are then not paid at all.
        from tenacity import AsyncRetrying, stop_before_delay, wait_random_exponential

        self._backoff = wait_random_exponential(multiplier=0.25, max=8.0)
        self._past_deadline = stop_before_delay(self._deadline)
        return AsyncRetrying(
            stop=self._stop,
            wait=self._wait,
            retry=self._should_retry,
            sleep=self._sleep,
            before_sleep=self._before_sleep,
            retry_error_callback=self._stopped,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        recorder = Recorder()
        request.extensions[ATTEMPTS_EXTENSION] = recorder
        # Most calls succeed at once: make the first attempt without tenacity's machinery
        # (a third of the SDK's per-call CPU) and replay its outcome into tenacity only
        # when it calls for a retry, so attempts, waits and stops stay tenacity's.
        try:
            first = await self._inner.handle_async_request(request)
        except Exception as exc:
            retry, why = self._decide(request, exc)
            if not retry:
                _close(recorder, request, exc, retried=False, why=why)
                raise
            replay: httpx.Response | Exception = exc
        else:
            if first.status_code < 429:  # the hot path: no decision to spell out
                _close(recorder, request, first, retried=False, why=_FINAL)
                return first
            retry, why = self._decide(request, first)
            if not retry:
                _close(recorder, request, first, retried=False, why=why)
                return first
            replay = first
        pending = [replay]

        async def attempt(request: httpx.Request) -> httpx.Response:
            if pending:
                outcome = pending.pop()
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome
            return await self._inner.handle_async_request(request)

        response: httpx.Response = await self._retrying(attempt, request)
        return response

    def _decide(
        self, request: httpx.Request, outcome: httpx.Response | BaseException
    ) -> tuple[bool, str]:
        """Whether to repeat an attempt with this outcome, and why (or why not)."""
        route: AnyRoute | None = request.extensions.get(ROUTE_EXTENSION)
        repeatable = route is not None and (route.idempotent or self._resend_ambiguous)
        because = (
            ""
            if route is None
            else "an idempotent route"
            if route.idempotent
            else "resend_ambiguous"
        )
        if isinstance(outcome, BaseException):
            failure = type(outcome).__name__
            if is_never_sent(outcome, request):
                if refused_before_cut_off(request):
                    return True, f"{failure} after a 429's head: not acted on"
                return True, f"{failure}: never connected"
            if not isinstance(outcome, httpx.TransportError):
                return False, f"{failure}: not a transport failure"
            if repeatable:
                return True, f"{failure}: may have acted, repeated as {because}"
            return False, f"{failure}: a send the server may have acted on"
        status = outcome.status_code
        if status == 429:
            wait = server_wait(outcome)
            if route is None or wait is None:
                return True, "HTTP 429"
            cap = self._longest_wait(route)
            if wait <= cap:
                return True, f"HTTP 429, asked to wait {wait:g} s"
            return False, f"HTTP 429 asking for {wait:g} s, over the {cap:g} s cap"
        if status >= 500:
            if repeatable:
                return True, f"HTTP {status}: may have acted, repeated as {because}"
            return False, f"HTTP {status}: a send the server may have acted on"
        return False, _FINAL

    def _longest_wait(self, route: AnyRoute) -> float:
        rate = self._rate_limits.limit_for(route.bucket, route.limit)
        return longest_wait(rate.period)

    def _retries_of(self, request: httpx.Request) -> int:
        """The call's own ``max_retries`` (a per-call option), else the client's."""
        retries: int = request.extensions.get(MAX_RETRIES_EXTENSION, self._max_retries)
        return retries

    def _stop(self, state: RetryCallState) -> bool:
        request: httpx.Request = state.args[0]
        return state.attempt_number > self._retries_of(request) or self._past_deadline(state)

    def _should_retry(self, state: RetryCallState) -> bool:
        assert state.outcome is not None  # tenacity calls this after an attempt
        outcome = state.outcome.exception() if state.outcome.failed else state.outcome.result()
        assert outcome is not None
        request: httpx.Request = state.args[0]
        retry, why = self._decide(request, outcome)
        if not retry:
            _close(_recorder(request), request, outcome, retried=False, why=why)
        return retry

    def _wait(self, state: RetryCallState) -> float:
        assert state.outcome is not None
        if not state.outcome.failed:
            response: httpx.Response = state.outcome.result()
            if response.status_code == 429:
                wait = server_wait(response)
                if wait is not None:
                    # Jitter keeps processes that were refused together from returning together.
                    return wait + random.uniform(0.0, min(1.0, 0.1 * wait))
        return float(self._backoff(state))

    async def _before_sleep(self, state: RetryCallState) -> None:
        assert state.outcome is not None
        assert state.next_action is not None
        request: httpx.Request = state.args[0]
        outcome = state.outcome.exception() if state.outcome.failed else state.outcome.result()
        assert outcome is not None
        _, why = self._decide(request, outcome)
        _close(
            _recorder(request),
            request,
            outcome,
            retried=True,
            why=why,
            wait=state.next_action.sleep,
        )
        if isinstance(outcome, httpx.Response):
            await outcome.aclose()
            reason = f"HTTP {outcome.status_code}"
        else:
            reason = type(outcome).__name__
        level = logging.INFO if reason == "HTTP 429" else logging.DEBUG
        logger.log(
            level,
            "%s %s: %s, retry %d in %.2f s",
            request.method,
            request.url.path,
            reason,
            state.attempt_number,
            state.next_action.sleep,
        )

    def _stopped(self, state: RetryCallState) -> httpx.Response:
        # Out of retries or past the deadline: hand the last response (a 429, a 5xx) to
        # the caller to map to an error, or re-raise the last transport exception.
        assert state.outcome is not None
        outcome = state.outcome.exception() if state.outcome.failed else state.outcome.result()
        assert outcome is not None
        request: httpx.Request = state.args[0]
        _, why = self._decide(request, outcome)
        retries = self._retries_of(request)
        stop = (
            f"out of retries (max_retries={retries})"
            if state.attempt_number > retries
            else f"past the {self._deadline:g} s deadline"
        )
        _close(_recorder(request), request, outcome, retried=False, why=f"{why}; {stop}")
        response: httpx.Response = state.outcome.result()
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _close(
    recorder: Recorder,
    request: httpx.Request,
    outcome: httpx.Response | BaseException,
    *,
    retried: bool,
    why: str,
    wait: float = 0.0,
) -> None:
    """End the attempt in the request's record; at DEBUG, log it in one line.

    The line names the route as the table writes it (``sms/status``), never the URL:
    no id, query or token of the request reaches the log.
    """
    recorder.close(outcome, not_sent_reason(outcome, request), retried=retried, why=why, wait=wait)
    if logger.isEnabledFor(logging.DEBUG):
        attempt = Attempt(*recorder.ended[-1])
        route: AnyRoute | None = request.extensions.get(ROUTE_EXTENSION)
        what = request.method if route is None else f"{route.method} {route.path}"
        status = attempt.status if attempt.error is None else attempt.error
        then = f"retry in {attempt.wait:.2f} s" if retried else "no retry"
        logger.debug(
            "%s: attempt %d -> %s in %.3f s (limiter wait %.3f s); %s: %s",
            what,
            attempt.number,
            status,
            attempt.elapsed,
            attempt.limiter_wait,
            then,
            attempt.why,
        )


def _recorder(request: httpx.Request) -> Recorder:
    recorder: Recorder = request.extensions[ATTEMPTS_EXTENSION]
    return recorder
