"""`SandboxState`: everything the endpoints read and change, apart from the app.

The handlers (``_api_*`` modules) take this state and the parsed request; `Sandbox`
(``_sandbox``) is this state plus the ASGI app, the throttle and the transport, so that
no handler imports the app and the modules form no import cycle.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable

from ..models import SmsStatus
from ._api_state import ApiState
from ._contacts_state import ContactsState
from ._extra_state import ExtraState
from ._state import DEMO_TOKEN, Account, Delivery, SentEmail, SentSms
from ._webhooks import WebhookSender

__all__ = ["SandboxState"]


class SandboxState:
    """The sandbox's world: accounts, records, the ledger, deliveries, the clocks.

    Args:
        accounts: API users; one demo account (`DEMO_TOKEN`) when omitted.
        business_hours: ``(open, close)`` hours (UTC); outside them an SMS without
            ``force_send`` is ``Scheduled``. Always open when omitted.
        delivery: what happens to SMS by default (Delivered at once).
        clock: monotonic seconds.
    """

    def __init__(
        self,
        *,
        accounts: list[Account] | None = None,
        business_hours: tuple[int, int] | None = None,
        delivery: Delivery = Delivery(),  # noqa: B008 - a frozen value
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.accounts: dict[str, Account] = {
            a.token: a for a in accounts or [Account(token=DEMO_TOKEN)]
        }
        self.clock = clock
        self.business_hours = business_hours
        self.default_delivery = delivery
        self.deliveries: dict[str, Delivery] = {}
        self.blacklist: set[str] = set()
        self.invalid_recipients: set[str] = set()
        self.unsubscribed: set[str] = set()
        self.invalid_emails: set[str] = set()
        self.sent_sms: list[SentSms] = []
        self.sent_emails: list[SentEmail] = []
        self.webhooks: WebhookSender = WebhookSender(self)
        self.api: ApiState = ApiState()
        """Numbers, templates, seeded SMS history and campaigns of the other endpoints."""
        self.extra: ExtraState = ExtraState(self.accounts)
        """Email senders, v3 emails, voice calls and sub-users (`ExtraState.add_sub_user`)."""
        self.contacts: ContactsState = ContactsState()
        """Contact groups per account, each with its default group."""
        self._sms_ids = itertools.count(31529)  # the docs sample ids as "315**"

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
