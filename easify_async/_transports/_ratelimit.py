"""A transport that takes a rate-limit slot for each attempt and frees it in time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from time import perf_counter

import anyio
import httpx
from attrs import define, field

from .._rate_limits import RateLimit, RateLimits
from .._retry_after import longest_wait, server_wait
from .._routes import ROUTE_EXTENSION, AnyRoute
from ..limiters import Lease, Limiter
from ._admission import ADMISSION_EXTENSION, Admission
from ._attempts import recorder_of
from ._bounded import STATUS_EXTENSION

__all__ = ["RateLimitTransport"]

logger = logging.getLogger("easify_async")


@define(eq=False)  # a live object: equal only to itself
class RateLimitTransport(httpx.AsyncBaseTransport):
    """Holds each request until its endpoint has a free slot for this token.

    A slot is taken before the request goes out and released when the response
    arrives, to stay taken for ``period + margin`` more (see `Limiter`). A 429 is not
    counted by the server, so its slot is free at once, and the server's wait pauses
    the endpoint for every caller sharing the limiter, unless it is longer than
    `longest_wait` (then only that call fails). Every other reply tells the limiter
    what the server knows (``X-RateLimit-Remaining``), see `Lease.release`.
    """

    _inner: httpx.AsyncBaseTransport
    _limiter: Limiter = field(kw_only=True)
    _rate_limits: RateLimits = field(kw_only=True)
    _token_key: str = field(kw_only=True, repr=False)  # a hash of the token, still private
    # Per bucket: its limiter key, its limit, the route's default it was read with, and
    # how long a slot is held after its reply.
    _known: dict[str, tuple[str, RateLimit, RateLimit, float]] = field(
        init=False, factory=dict, repr=False
    )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route: AnyRoute | None = request.extensions.get(ROUTE_EXTENSION)
        if route is None:
            return await self._inner.handle_async_request(request)
        key, rate = self._bucket(route)
        recorder = recorder_of(request)
        # A call's first attempt comes with its slot taken already (see `Admit`).
        admission: Admission | None = request.extensions.get(ADMISSION_EXTENSION)
        lease = None if admission is None else admission.take_lease()
        if lease is None:
            start = perf_counter()  # real seconds, as `BoundedReplyTransport` times the network
            lease = await self.acquire(route)
            wait = perf_counter() - start
        else:
            wait = admission.wait  # type: ignore[union-attr]  # a lease came with it
        if recorder is not None:
            recorder.limiter_wait = wait
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException:
            # A 429 whose body then failed to arrive was still not counted by the server,
            # and its wait is unknown: the key pauses for a window, as for a 429 without one.
            refused = request.extensions.get(STATUS_EXTENSION) == 429
            # Shielded: a cancelled attempt must still give its slot back, held as if counted.
            with anyio.CancelScope(shield=True):
                try:
                    if refused:
                        await self._limiter.pause(key, rate.period)
                finally:
                    await lease.release(counted=not refused)
            raise
        if response.status_code == 429:
            # Shielded, and released whatever reading the wait does: a 429 that kept its
            # slot would starve every later caller of the route. The pause goes first, so
            # no caller (in any process sharing the limiter) takes the freed slot before it.
            with anyio.CancelScope(shield=True):
                try:
                    stated = server_wait(response)
                    wait = rate.period if stated is None else stated
                    cap = longest_wait(rate.period)
                    if wait <= cap:
                        await self._limiter.pause(key, wait)
                finally:
                    await lease.release(counted=False)
            if wait <= cap:
                logger.info("%s %s: 429, paused for %.1f s", route.method, route.path, wait)
            else:
                # Some other quota: the call fails at once; other callers are not held.
                logger.warning(
                    "%s %s: 429 asking for %.0f s, over the %.0f s cap: not paused",
                    route.method,
                    route.path,
                    wait,
                    cap,
                )
        else:
            replied, remaining = _server_word(response)
            try:
                # Not shielded (this is the hot path): a release cut short by cancellation
                # leaves the slot held longer than needed, never shorter.
                await lease.release(replied=replied, remaining=remaining)
            except Exception:
                # The request went out: a limiter's failure must not invite a resend.
                logger.warning("could not release a slot of %s", route.path, exc_info=True)
        return response

    def acquire(self, route: AnyRoute) -> Awaitable[Lease]:
        """Wait for a slot of ``route``'s bucket for this token (the limiter's own wait:
        no frame of this layer stays on the stack while it waits)."""
        known = self._known.get(route.bucket)
        if known is None or known[2] is not route.limit:
            known = self._learn(route)
        return self._limiter.acquire(known[0], limit=known[1].limit, hold=known[3])

    def _bucket(self, route: AnyRoute) -> tuple[str, RateLimit]:
        known = self._known.get(route.bucket)
        if known is None or known[2] is not route.limit:
            known = self._learn(route)
        return known[0], known[1]

    def _learn(self, route: AnyRoute) -> tuple[str, RateLimit, RateLimit, float]:
        # The one place that maps a route to its limiter key, limit and hold. Kept per
        # bucket: one key string and one hold per bucket, not one per call (thousands of
        # calls may wait, each holding what it was given).
        key = f"{self._token_key}:{route.bucket}"
        rate = self._rate_limits.limit_for(route.bucket, route.limit)
        known = self._known[route.bucket] = (
            key,
            rate,
            route.limit,
            rate.period + self._rate_limits.margin,
        )
        return known

    async def aclose(self) -> None:
        await self._inner.aclose()


def _server_word(response: httpx.Response) -> tuple[bool, int | None]:
    """Whether a (non-429) reply is the server's word on its budget, and its Remaining.

    A 5xx without rate-limit headers may come from a gateway that never asked the
    server: it is no word. A Remaining above the reply's own Limit is not believed.
    """
    headers = response.headers
    remaining = _count(headers.get("X-RateLimit-Remaining"))
    if remaining is not None:  # the Limit matters only to check a Remaining
        limit = _count(headers.get("X-RateLimit-Limit"))
        if limit is not None and remaining > limit:
            remaining = None
    return remaining is not None or response.status_code < 500, remaining


def _count(header: str | None) -> int | None:
    # ASCII digits only: int() would also take "1_000", "١٢" and " -3 ".
    if header is None:
        return None
    header = header.strip()
    return int(header) if header.isascii() and header.isdigit() and len(header) < 10 else None
