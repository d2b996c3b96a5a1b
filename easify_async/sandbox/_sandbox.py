"""`Sandbox`: the state, the ASGI app and the in-process transport of a local Easify API."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from ..models import SmsStatus
from . import _handlers
from ._api_routes import API_LIMITS, api_routes
from ._api_state import ApiState
from ._extra_state import ExtraState
from ._faults import Faults
from ._replies import PLAN_MESSAGE, RECHARGE, UNAUTHENTICATED, failure, gateway_page
from ._state import DEMO_TOKEN, Account, Delivery, SentEmail, SentSms
from ._throttle import FixedWindowThrottle
from ._webhooks import WebhookSender

__all__ = ["Sandbox"]

Handler = Callable[["Sandbox", Account, dict[str, Any]], Response]
_LIMITS = {"sms_send": 15, "email_send": 15, "sms_status": 60, **API_LIMITS}


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
        business_hours: tuple[int, int] | None = None,
        delivery: Delivery = Delivery(),  # noqa: B008 - a frozen value
        faults: Faults | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.accounts = {a.token: a for a in accounts or [Account(token=DEMO_TOKEN)]}
        self.clock = clock
        self.throttle = FixedWindowThrottle(period=period, clock=clock)
        self.shared_counter = shared_counter
        self.rate_limit_headers = rate_limit_headers
        self.business_hours = business_hours
        self.default_delivery = delivery
        self.deliveries: dict[str, Delivery] = {}
        self.faults = faults or Faults()
        self.blacklist: set[str] = set()
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
        self._sms_ids = itertools.count(31529)  # the docs sample ids as "315**"
        self.app = Starlette(
            routes=[
                Route(
                    "/api/v2/sms/send",
                    self._endpoint("sms_send", _handlers.sms_send),
                    methods=["POST"],
                ),
                Route(
                    "/api/v2/sms/status",
                    self._endpoint("sms_status", _handlers.sms_status),
                    methods=["GET"],
                ),
                Route(
                    "/api/v2/email/send",
                    self._endpoint("email_send", _handlers.email_send),
                    methods=["POST"],
                ),
                *api_routes(self),
            ],
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

    # -- the request pipeline -----------------------------------------------------------

    def _endpoint(self, bucket: str, handler: Handler) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            return await self._pipeline(request, bucket, handler)

        return endpoint

    async def _pipeline(self, request: Request, bucket: str, handler: Handler) -> Response:
        """Faults, 401, 429, 402, 403, then the endpoint's own checks; headers on the way out."""
        try:
            fields = await _fields(request)
        except ClientDisconnect:
            return Response(status_code=499)  # the client went away before the body arrived
        # Latency on both sides of processing, so a client can die before or after it.
        latency = self.faults.delay()
        await anyio.sleep(latency / 2)
        fault = self.faults.draw()
        if fault == "server_error":
            return failure(500, "Server Error")
        if fault == "html":
            return gateway_page()
        auth = request.headers.get("authorization", "")
        account = self.accounts.get(auth[7:].strip()) if auth[:7].lower() == "bearer " else None
        if account is None:
            return failure(401, UNAUTHENTICATED)
        key = f"{account.token}:{'shared' if self.shared_counter else bucket}"
        decision = self.throttle.hit(key, _LIMITS[bucket])
        headers = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
        }
        response: Response
        if not decision.allowed:
            self.rejected_requests += 1
            response = failure(
                429, f"Too many requests. Try again in {decision.retry_after} seconds"
            )
            headers["Retry-After"] = str(decision.retry_after)
            headers["X-RateLimit-Reset"] = str(int(time.time() + self.throttle.seconds_left(key)))
        elif not account.subscribed:
            response = failure(402, RECHARGE)
        elif not account.enterprise:
            response = failure(403, PLAN_MESSAGE)
        else:
            response = handler(self, account, fields)
        if self.rate_limit_headers:
            response.headers.update(headers)
        await anyio.sleep(latency / 2)
        if fault == "drop":
            return _DroppingResponse()
        return response


async def _fields(request: Request) -> dict[str, Any]:
    """Query and body merged, as Laravel's ``$request->all()`` does."""
    fields: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        if isinstance(body, dict):
            fields.update(body)
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        # Closed on the way out: only the uploads' names are kept in the ledger.
        async with request.form() as form:
            for name, value in form.multi_items():
                fields[name if not name.endswith("[]") else f"{name[:-2]}[{len(fields)}]"] = value
    return fields


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
