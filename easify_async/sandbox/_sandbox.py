"""`Sandbox`: the state, the ASGI app and the in-process transport of a local Easify API."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Literal

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from .._validation import check_seconds
from ..models import SmsStatus
from . import _handlers
from ._api_fields import current_request
from ._api_routes import API_ENDPOINTS, request_facts
from ._api_state import ApiState
from ._contacts_state import ContactsState
from ._extra_state import ExtraState
from ._faults import Faults
from ._input import request_fields
from ._replies import (
    PLAN_MESSAGE,
    RECHARGE,
    UNAUTHENTICATED,
    failure,
    gateway_page,
    json_reply,
)
from ._routing import Endpoint, resolve
from ._state import DEMO_TOKEN, Account, Delivery, SentEmail, SentSms
from ._throttle import FixedWindowThrottle
from ._webhooks import WebhookSender

__all__ = ["ENDPOINTS", "PlanCheck", "Sandbox"]

#: The routes the sandbox serves; an endpoint is one more row here.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("POST", "api/v2/sms/send", "sms_send", 15, _handlers.sms_send),
    Endpoint("GET", "api/v2/sms/status", "sms_status", 60, _handlers.sms_status),
    Endpoint("POST", "api/v2/email/send", "email_send", 15, _handlers.email_send),
    *API_ENDPOINTS,
)

#: Where the subscription (402) and plan (403) checks sit relative to the throttle.
PlanCheck = Literal["after_throttle", "before_throttle"]


class DroppedConnection(Exception):
    """Raised by the app after a request was processed, to cut the connection."""


class Sandbox:
    """A faithful local Easify API.

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

    Example:
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
        self.accounts = {a.token: a for a in accounts or [Account(token=DEMO_TOKEN)]}
        self.clock = clock
        # A NaN window would never end (every comparison with it is false).
        self.throttle = FixedWindowThrottle(period=check_seconds("period", period), clock=clock)
        self.shared_counter = shared_counter
        self.rate_limit_headers = rate_limit_headers
        self.plan_check = plan_check
        self.business_hours = business_hours
        self.default_delivery = delivery
        self.deliveries: dict[str, Delivery] = {}
        self.faults = faults or Faults()
        self.blacklist: set[str] = set()
        self.invalid_recipients: set[str] = set()
        self.unsubscribed: set[str] = set()
        self.invalid_emails: set[str] = set()
        self.sent_sms: list[SentSms] = []
        self.sent_emails: list[SentEmail] = []
        self.rejected_requests = 0
        self.webhooks = WebhookSender(self)
        self.api = ApiState()
        """Numbers, templates, seeded SMS history and campaigns of the other endpoints."""
        self.extra = ExtraState(self.accounts)
        """Email senders, v3 emails, voice calls and sub-users (`ExtraState.add_sub_user`)."""
        self.contacts = ContactsState()
        """Contact groups per account, each with its default group."""
        self._sms_ids = itertools.count(31529)  # the docs sample ids as "315**"
        self._epoch_offset: int | None = None
        # One catch-all route: the Laravel router below decides (no Starlette redirects).
        self.app = Starlette(
            routes=[Mount("", app=self._asgi)],
            lifespan=self._lifespan,
        )

    # -- public helpers ---------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        """An in-process httpx transport to this sandbox: ``AsyncEasify(transport=...)``."""
        return _InProcessTransport(self.app)

    def account(self, token: str = DEMO_TOKEN) -> Account:
        """The account of ``token``."""
        return self.accounts[token]

    def add_account(self, account: Account) -> Account:
        """Add (or replace) an API user."""
        self.accounts[account.token] = account
        return account

    def set_delivery(self, receiver: str, delivery: Delivery) -> None:
        """What happens to SMS sent to ``receiver`` (E.164)."""
        self.deliveries[receiver] = delivery

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

    # -- used by the handlers ---------------------------------------------------------

    def next_sms_id(self) -> str:
        return str(next(self._sms_ids))

    def wall_clock(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def open_now(self) -> bool:
        if self.business_hours is None:
            return True
        opens, closes = self.business_hours
        return opens <= self.wall_clock().hour < closes

    def delivery_for(self, receiver: str) -> Delivery:
        return self.deliveries.get(receiver, self.default_delivery)

    def accept_sms(self, sent: SentSms, account: Account) -> None:
        self.sent_sms.append(sent)
        if not sent.scheduled:
            self.webhooks.sms_delivered_later(sent, account)

    def accept_email(self, sent: SentEmail, account: Account) -> None:
        self.sent_emails.append(sent)
        self.webhooks.email_events_later(sent, account)

    def find_sms(self, account: Account, sms_id: str) -> SentSms | None:
        return next(
            (s for s in self.sent_sms if s.sms_id == sms_id and s.token == account.token), None
        )

    def status_of(self, sent: SentSms) -> tuple[SmsStatus, str]:
        if sent.scheduled:
            return SmsStatus.SCHEDULED, ""
        if self.clock() < sent.accepted_at + sent.delivery.delay:
            return SmsStatus.PENDING, ""
        return sent.delivery.status, sent.delivery.remarks

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
        response = await self._pipeline(request, found)
        if method == "HEAD":
            headers = {k: v for k, v in response.headers.items() if k != "content-length"}
            return Response(b"", status_code=response.status_code, headers=headers)
        return response

    async def _pipeline(self, request: Request, endpoint: Endpoint) -> Response:
        """Faults, 401, 429 and 402/403 (in ``plan_check`` order), then the endpoint's own."""
        try:
            facts = await request_facts(request)
            fields = await request_fields(request)
        except ClientDisconnect:
            return Response(status_code=499)  # the client went away before the body arrived
        token = current_request.set(facts)
        try:
            return await self._answer(request, endpoint, fields)
        finally:
            current_request.reset(token)

    async def _answer(
        self, request: Request, endpoint: Endpoint, fields: dict[str, Any]
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
            response = self._throttled(account, endpoint, fields)
        await anyio.sleep(latency / 2)
        if fault == "drop":
            return _DroppingResponse()
        return response

    def _throttled(self, account: Account, endpoint: Endpoint, fields: dict[str, Any]) -> Response:
        """Laravel's ``ThrottleRequests`` around the rest: 429, or the reply plus headers."""
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
                response = endpoint.handler(self, account, fields)
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
    """``httpx.ASGITransport`` turning the sandbox's dropped connection into httpx's error."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
