"""`Sandbox`: a local Easify API, its state (`SandboxState`) plus the app around it.

The app resolves the route (``_routes``), reads the request once (``_request``), answers
faults, 401, the throttle and the plan checks, then calls the route's handler with the
state and the parsed `ApiRequest`. Handlers live one module per API group (``_api_*``)
and never import this module.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, ClassVar, Literal

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from .._validation import check_seconds
from ._faults import Faults
from ._replies import (
    PLAN_MESSAGE,
    RECHARGE,
    UNAUTHENTICATED,
    failure,
    gateway_page,
    json_reply,
)
from ._request import ApiRequest, RawRequest, read_request
from ._routes import ENDPOINTS
from ._routing import Endpoint, resolve
from ._seed import apply_seed, read_seed
from ._seed_records import Seed
from ._state import Account, Delivery
from ._store import SandboxState
from ._throttle import FixedWindowThrottle

__all__ = ["ENDPOINTS", "SANDBOX_BASE_URL", "PlanCheck", "Sandbox"]

#: The base URL of a client on `Sandbox.transport` (when it is given none): its ``repr``
#: and httpx's request log name the sandbox, not production. ``.invalid`` can never
#: resolve (RFC 2606), so a request that somehow left the process would fail, not land.
SANDBOX_BASE_URL: str = "http://sandbox.easify.invalid/api/v2"

#: Where the subscription (402) and plan (403) checks sit relative to the throttle.
PlanCheck = Literal["after_throttle", "before_throttle"]


class DroppedConnection(Exception):
    """Raised by the app after a request was processed, to cut the connection."""


class Sandbox(SandboxState):
    """A faithful local Easify API: its state (`SandboxState`) and its app.

    Args:
        period: seconds of a rate-limit window (60 on the real service; tests use less).
        accounts: API users; one demo account (`DEMO_TOKEN`) when omitted.
        shared_counter: sends and status calls of a token hit one counter, each
            checked against its own limit (one of the live service's unknowns).
        rate_limit_headers: send ``X-RateLimit-*``/``Retry-After`` headers (the other).
        plan_check: ``"after_throttle"`` (default): a 402/403 is counted by the throttle
            and carries its headers, as when Laravel's throttle middleware runs first;
            ``"before_throttle"``: they are answered first, not counted, no headers.
            The docs do not say which the live API does.
        business_hours: ``(open, close)`` hours (UTC); outside them an SMS without
            ``force_send`` is ``Scheduled``. Always open when omitted.
        delivery: what happens to SMS by default (Delivered at once).
        faults: injected failures.
        clock: monotonic seconds; ``time.monotonic`` by default, which every thread and
            event loop shares (pass ``anyio.current_time`` to run on trio's virtual clock).

    Examples:
        >>> sandbox = Sandbox(period=0.5)
        >>> easify = AsyncEasify(DEMO_TOKEN, transport=sandbox.transport())  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        period: float = 60.0,
        accounts: list[Account] | None = None,
        shared_counter: bool = False,
        rate_limit_headers: bool = True,
        plan_check: PlanCheck = "after_throttle",
        business_hours: tuple[int, int] | None = None,
        delivery: Delivery = Delivery(),  # noqa: B008 - a frozen value
        faults: Faults | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if plan_check not in ("after_throttle", "before_throttle"):
            raise ValueError(
                f"plan_check must be 'after_throttle' or 'before_throttle', not {plan_check!r}"
            )
        super().__init__(
            accounts=accounts, business_hours=business_hours, delivery=delivery, clock=clock
        )
        # A NaN window would never end (every comparison with it is false).
        self.throttle: FixedWindowThrottle = FixedWindowThrottle(
            period=check_seconds("period", period), clock=clock
        )
        self.shared_counter = shared_counter
        self.rate_limit_headers = rate_limit_headers
        self.plan_check = plan_check
        self.faults: Faults = faults or Faults()
        self.rejected_requests: int = 0
        self._epoch_offset: int | None = None
        # One catch-all route: the Laravel router below decides (no Starlette redirects).
        self.app: Starlette = Starlette(
            routes=[Mount("", app=self._asgi)],
            lifespan=self._lifespan,
        )

    # -- public helpers ---------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        """An in-process httpx transport to this sandbox: ``AsyncEasify(transport=...)``.

        A client given it (and no ``base_url``) takes `SANDBOX_BASE_URL` for its base URL,
        so that its ``repr`` and httpx's request log say the sandbox was called.
        """
        return _InProcessTransport(self.app)

    def seed(
        self,
        *accounts: Seed,
        blacklist: Iterable[str] = (),
        invalid_recipients: Iterable[str] = (),
        unsubscribed: Iterable[str] = (),
        invalid_emails: Iterable[str] = (),
    ) -> None:
        """Add records for the API to return: each `Seed` is one account's (created when
        its token is new); the lists are the sandbox's own (E.164 numbers refused as
        blacklisted or invalid, email addresses unsubscribed or invalid).

        Examples:
            >>> from easify_async.sandbox import DEMO_TOKEN, Sandbox, Seed, SeedGroup
            >>> sandbox = Sandbox()
            >>> sandbox.seed(
            ...     Seed(token=DEMO_TOKEN, groups=[SeedGroup(name="VIP", id=42)]),
            ...     blacklist=["+13151350000"],
            ... )
        """
        for seed in accounts:
            apply_seed(self, seed)
        self.blacklist.update(blacklist)
        self.invalid_recipients.update(invalid_recipients)
        self.unsubscribed.update(unsubscribed)
        self.invalid_emails.update(invalid_emails)

    def seed_json(self, source: str | os.PathLike[str]) -> None:
        """`seed` from a JSON file (a path) or JSON text: ``{"accounts": [...],
        "blacklist": [...], ...}``, each account a `Seed`'s fields (see the sandbox guide)."""
        accounts, lists = read_seed(source)
        self.seed(*accounts, **lists)

    async def __aenter__(self) -> Sandbox:
        await self.webhooks.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.webhooks.stop()

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async with self:  # a server delivers webhooks for its lifetime
            yield

    def epoch_seconds(self, clock_time: float) -> int:
        """The UNIX time of ``clock_time``, rounded up (for ``X-RateLimit-Reset``).

        The sandbox's clock is taken to run a whole number of seconds apart from the
        wall clock, fixed at the first call, so that its whole seconds are the server's.
        """
        if self._epoch_offset is None:
            self._epoch_offset = round(time.time() - self.clock())
        return math.ceil(clock_time) + self._epoch_offset

    # -- the request pipeline -----------------------------------------------------------

    async def _asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self._dispatch(Request(scope, receive))
        await response(scope, receive, send)

    async def _dispatch(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        method = request.method
        found = resolve(ENDPOINTS, method, raw_path.decode("latin-1").partition("?")[0])
        if isinstance(found, Response):
            return found
        response = await self._pipeline(request, found.endpoint, found.params)
        if method == "HEAD":
            headers = {k: v for k, v in response.headers.items() if k != "content-length"}
            return Response(b"", status_code=response.status_code, headers=headers)
        return response

    async def _pipeline(
        self, request: Request, endpoint: Endpoint, params: dict[str, str]
    ) -> Response:
        """Faults, 401, 429 and 402/403 (in ``plan_check`` order), then the endpoint's own."""
        try:
            raw = await read_request(request)
        except ClientDisconnect:
            return Response(status_code=499)  # the client went away before the body arrived
        return await self._answer(request, endpoint, raw, params)

    async def _answer(
        self, request: Request, endpoint: Endpoint, raw: RawRequest, params: dict[str, str]
    ) -> Response:
        # Latency on both sides of processing, so a client can die before or after it.
        latency = self.faults.delay()
        await anyio.sleep(latency / 2)
        fault = self.faults.draw()
        if fault == "server_error":
            # Laravel's production render of an unhandled exception: no status, no errors.
            return json_reply({"message": "Server Error"}, 500)
        if fault == "html":
            return gateway_page()
        auth = request.headers.get("authorization", "")
        account = self.accounts.get(auth[7:].strip()) if auth[:7].lower() == "bearer " else None
        if account is None:
            return failure(401, UNAUTHENTICATED)
        response = _plan_refusal(account) if self.plan_check == "before_throttle" else None
        if response is None:
            response = self._throttled(endpoint, ApiRequest.of(account, raw, params))
        await anyio.sleep(latency / 2)
        if fault == "drop":
            return _DroppingResponse()
        return response

    def _throttled(self, endpoint: Endpoint, request: ApiRequest) -> Response:
        """Laravel's ``ThrottleRequests`` around the rest: 429, or the reply plus headers."""
        account = request.account
        key = f"{account.token}:{'shared' if self.shared_counter else endpoint.bucket}"
        decision = self.throttle.hit(key, endpoint.limit)
        headers = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
        }
        response: Response | None
        if decision.allowed:
            response = _plan_refusal(account) if self.plan_check == "after_throttle" else None
            if response is None:
                response = endpoint.handler(self, request)
        else:
            self.rejected_requests += 1
            response = failure(
                429, f"Too many requests. Try again in {decision.retry_after} seconds"
            )
            headers["Retry-After"] = str(decision.retry_after)
            headers["X-RateLimit-Reset"] = str(self.epoch_seconds(decision.reopens_at))
        if self.rate_limit_headers:
            response.headers.update(headers)
        return response


def _plan_refusal(account: Account) -> Response | None:
    if not account.subscribed:
        return failure(402, RECHARGE)
    if not account.enterprise:
        return failure(403, PLAN_MESSAGE)
    return None


class _DroppingResponse(Response):
    """Starts the response, then cuts the connection (the request was processed)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]}
        )
        raise DroppedConnection("the sandbox dropped the connection after processing the request")


class _InProcessTransport(httpx.ASGITransport):
    """``httpx.ASGITransport`` turning the sandbox's dropped connection into httpx's error.

    ``easify_base_url`` is the API root a client sending through it defaults to
    (``AsyncEasify`` reads it): the sandbox's, never production's.
    """

    easify_base_url: ClassVar[str] = SANDBOX_BASE_URL

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
