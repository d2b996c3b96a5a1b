"""Signed webhook delivery: SMS status events and email event batches, as Easify sends them."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from typing import Any, Protocol

import anyio
import httpx
from anyio.abc import TaskGroup
from attrs import frozen

from .._php_json import php_json_encode
from ..webhooks._signing import signature_for
from ._state import Account, Delivery, SentEmail, SentSms

__all__ = ["Clocked", "Delivered", "WebhookSender"]

_ATTEMPTS = 3


@frozen
class Delivered:
    """One webhook POST the sandbox made, and how the receiver answered (0: no answer)."""

    url: str
    payload: Any
    status_code: int


class Clocked(Protocol):
    """What the sender reads of the sandbox's state (it must not import the state)."""

    default_delivery: Delivery

    def wall_clock(self) -> dt.datetime: ...


class WebhookSender:
    """Posts events in the background while the sandbox runs (``async with sandbox``)."""

    def __init__(self, sandbox: Clocked) -> None:
        self._sandbox = sandbox
        self._group: TaskGroup | None = None
        self._client: httpx.AsyncClient | None = None
        self.delivered: list[Delivered] = []

    async def start(self) -> None:
        self._group = anyio.create_task_group()
        await self._group.__aenter__()

    async def stop(self) -> None:
        assert self._group is not None
        self._group.cancel_scope.cancel()
        await self._group.__aexit__(None, None, None)
        self._group = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        # Made on the first webhook: building a client (its TLS context) costs ~50 ms,
        # and most sandboxes never post one.
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=5.0)
        return self._client

    def sms_delivered_later(self, sent: SentSms, account: Account) -> None:
        """POST the SMS's final status once its delivery delay has passed."""
        if account.sms_webhook_url is None or self._group is None:
            return
        delivery = sent.delivery
        payload = {
            "sms_id": sent.sms_id,
            "sender": f"+1{sent.from_number}",
            "receiver": sent.receiver,
            "sms_type": "mms" if sent.media else "sms",
            "message": sent.message or "",
            "media_url": sent.media or "",
            "status": delivery.status.value,
            "remarks": delivery.remarks,
            "created_at": self._sandbox.wall_clock().strftime("%Y-%m-%d %H:%M:%S"),
        }
        self._group.start_soon(
            self._post, account.sms_webhook_url, account.webhook_secret, payload, delivery.delay
        )

    def email_events_later(self, sent: SentEmail, account: Account) -> None:
        """POST a batch with the email's ``processed`` and ``delivered`` events."""
        if account.email_webhook_url is None or self._group is None:
            return
        now = int(time.time())
        common = {
            # Easify echoes additional_data back as a single-quoted pseudo-JSON string.
            "additional_data": _single_quoted(sent.additional_data),
            "email": sent.receiver,
            "email_id": sent.email_id,
            "email_item_id": secrets.token_hex(12),
            "timestamp": now,
            "smtp-id": f"<{secrets.token_hex(6)}@sandbox.easify.test>",
            "category": [],
            "sg_message_id": f"{secrets.token_hex(8)}.filter0001",
        }
        batch = [
            {**common, "event": "processed", "sg_event_id": secrets.token_urlsafe(16)},
            {
                **common,
                "event": "delivered",
                "sg_event_id": secrets.token_urlsafe(16),
                "response": "250 OK",
            },
        ]
        delay = self._sandbox.default_delivery.delay
        self._group.start_soon(
            self._post, account.email_webhook_url, account.webhook_secret, batch, delay
        )

    async def _post(self, url: str, secret: str, payload: Any, delay: float) -> None:
        await anyio.sleep(delay)
        client = self._http()
        body = php_json_encode(payload)
        for attempt in range(_ATTEMPTS):
            headers = {
                "Content-Type": "application/json",
                "X-Easify-Signature": signature_for(body, secret).decode(),
                "X-Easify-Timestamp": str(int(time.time())),
            }
            try:
                response = await client.post(url, content=body, headers=headers)
            except httpx.HTTPError:
                status = 0
            else:
                status = response.status_code
            self.delivered.append(Delivered(url, payload, status))
            if 200 <= status < 300:
                return
            await anyio.sleep(0.05 * 2**attempt)


def _single_quoted(data: Any) -> str:
    if data in (None, ""):
        return ""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return str(data)
    return json.dumps(data, separators=(",", ":")).replace('"', "'")
