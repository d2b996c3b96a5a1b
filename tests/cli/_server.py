"""The CLI tests' server: the real sandbox, served by uvicorn on 127.0.0.1.

``Ledger`` shows the sandbox's accepted sends as the request fields the CLI sent.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from attrs import Factory, define

from easify_async.models import SmsStatus
from easify_async.sandbox import DEMO_SENDER, Account, Delivery, Sandbox

TOKEN = "1087|f906c6df-759e-42cd-8dc7-4980b3081234"
SENDER = "qa@example.com"
NEVER_DELIVERED = "+13151359999"  # its SMS stay Pending for an hour


@define
class _Clock:
    """The sandbox's clock, which a test can move ahead (a window passing)."""

    offset: float = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


def _sandbox(clock: _Clock, period: float) -> Sandbox:
    accounts = [Account(token=TOKEN, senders={SENDER, DEMO_SENDER})]
    sandbox = Sandbox(accounts=accounts, clock=clock, period=period)
    sandbox.set_delivery(NEVER_DELIVERED, Delivery(SmsStatus.DELIVERED, delay=3600))
    return sandbox


@define
class Ledger:
    """The sandbox behind a CLI test, and what it accepted."""

    period: float = 60.0  # of the sandbox's rate-limit window
    clock: _Clock = Factory(_Clock)
    sandbox: Sandbox = Factory(lambda self: _sandbox(self.clock, self.period), takes_self=True)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass on the sandbox's clock."""
        self.clock.offset += seconds

    @property
    def sms(self) -> list[dict[str, Any]]:
        """Each accepted SMS as the fields it was sent with (unset ones left out)."""
        return [
            {
                k: v
                for k, v in {
                    "from_number": s.from_number,
                    "to_number": s.to_number,
                    "country_code": s.country_code,
                    "message": s.message,
                    "media": s.media,
                    "lead_id": s.lead_id,
                }.items()
                if v is not None
            }
            for s in self.sandbox.sent_sms
        ]

    @property
    def emails(self) -> list[dict[str, Any]]:
        """Each accepted email's fields."""
        return [
            {
                "sender": e.sender,
                "receiver": e.receiver,
                "subject": e.subject,
                "message": e.message,
                "additional_data": e.additional_data,
                "from_name": e.from_name,
                "email_id": e.email_id,
            }
            for e in self.sandbox.sent_emails
        ]

    @property
    def groups(self) -> dict[str, int]:
        """The account's contact groups: name -> how many contacts the sandbox counts in it."""
        groups = self.sandbox.contacts.groups_of(TOKEN, self.sandbox.wall_clock())
        return {g.name: g.contacts_count for g in groups}

    @property
    def contacts(self) -> list[dict[str, Any]]:
        """The account's contacts, oldest first, as ``GET contacts`` shows them."""
        return [c.to_json() for c in self.sandbox.contacts.contacts_of(TOKEN)]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
