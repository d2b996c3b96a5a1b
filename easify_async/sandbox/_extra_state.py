"""The sandbox's email senders, v3 emails, voice calls and sub-users."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any

from attrs import Factory, define, field, frozen

from ._api_state import API_TIME_FORMAT
from ._state import Account

__all__ = ["CallRecord", "ExtraState", "SenderRecord", "SubUserRecord", "V3Email", "V3Recipient"]


@frozen(kw_only=True)
class SenderRecord:
    """One verified sender address of an account, as ``GET email/senders`` lists it."""

    id: int
    from_email: str
    from_name: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "from_email": self.from_email,
            "from_name": self.from_name,
            "signature": f"-- \n{self.from_name}",
            "footer": "",
        }


@frozen(kw_only=True)
class V3Recipient:
    """One address of a v3 email, with its item id and its fate."""

    receiver: str
    recipient_type: str  # to, cc, bcc
    status: str = "Success"
    remarks: str = "success"
    email_item_id: str = Factory(lambda: secrets.token_hex(10))


@frozen(kw_only=True)
class V3Email:
    """A v3 email the sandbox accepted."""

    email_id: str
    token: str
    recipients: tuple[V3Recipient, ...]


@frozen(kw_only=True)
class CallRecord:
    """One voice call of an account's history (the fields past ``id`` are the sandbox's
    guess: the docs cut the item off after its ``id``)."""

    id: str
    from_number: str  # E.164
    to_number: str  # E.164
    created_at: dt.datetime
    status: str = "completed"
    direction: str = "outbound"
    duration: int = 30
    recording_url: str | None = None
    public_call: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "from": self.from_number,
            "to": self.to_number,
            "status": self.status,
            "direction": self.direction,
            "duration": self.duration,
            "recording_url": self.recording_url,
            "public_call": self.public_call,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
        }


@frozen(kw_only=True)
class SubUserRecord:
    """A sub-user under a main account: a separate account with its own token."""

    email: str
    name: str
    token: str

    def to_json(self) -> dict[str, object]:
        return {"email": self.email, "name": self.name, "easify_api_token": self.token}


@define
class ExtraState:
    """Senders, v3 emails, calls and sub-users, per account token.

    Attributes:
        accounts: the sandbox's accounts (sub-users are added there too).
    """

    accounts: dict[str, Account]
    senders: dict[str, list[SenderRecord]] = Factory(dict)
    v3_emails: dict[str, V3Email] = Factory(dict)
    calls: dict[str, list[CallRecord]] = Factory(dict)
    sub_users: dict[str, list[SubUserRecord]] = Factory(dict)
    _sender_ids: itertools.count[int] = field(factory=lambda: itertools.count(1))
    _email_ids: itertools.count[int] = field(factory=lambda: itertools.count(674))
    _user_ids: itertools.count[int] = field(factory=lambda: itertools.count(1088))

    def senders_of(self, account: Account) -> list[SenderRecord]:
        """The account's senders, given stable ids on first sight."""
        records = self.senders.setdefault(account.token, [])
        known = {r.from_email for r in records}
        for address in sorted(account.senders - known):
            name = address.split("@")[0].replace(".", " ").title()
            records.append(
                SenderRecord(id=self.next_sender_id(), from_email=address, from_name=name)
            )
        return [r for r in records if r.from_email in account.senders]

    def next_sender_id(self) -> int:
        return next(self._sender_ids)

    def next_email_id(self) -> str:
        return str(next(self._email_ids))

    def add_calls(self, token: str, *records: CallRecord) -> None:
        """Seed an account's call history."""
        self.calls.setdefault(token, []).extend(records)

    def add_sub_user(
        self, main_token: str, *, email: str, name: str = "", **account: Any
    ) -> Account:
        """Create a sub-user of ``main_token``: an account of its own (``account`` sets
        its `Account` fields), listed by ``GET sub-user/tokens`` of the main user."""
        token = f"{next(self._user_ids)}|{secrets.token_hex(16)}"
        created = Account(token=token, **account)
        self.accounts[token] = created
        self.sub_users.setdefault(main_token, []).append(
            SubUserRecord(email=email, name=name, token=token)
        )
        return created

    def main_of(self, token: str) -> str | None:
        """The main user's token of a sub-user's token; None for a main user."""
        return next(
            (main for main, subs in self.sub_users.items() if any(s.token == token for s in subs)),
            None,
        )
