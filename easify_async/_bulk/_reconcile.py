"""Settling a journal's "maybe sent" rows (and a ledger's ambiguous keys,
`easify_async.ledgers.reconcile`) from what the API recorded (reads only)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any, Literal, Protocol

from attrs import Factory, define, frozen

from .._validation import sender_number, split_phone_number
from ..errors import ArgumentError, EasifyError
from ._entries import AMBIGUOUS

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from .._models.contacts import Contact
    from .._models.sms import SmsRecord
    from ._journal import Journal

__all__ = ["Attempt", "Finder", "Settlement", "reconcile", "zone"]

#: The API's times carry no zone (they are the account's): without it, a record up to
#: this much older than the attempt (UTC-12 .. UTC+14) may still be the attempt's.
_UNKNOWN_ZONE_SLACK = dt.timedelta(hours=14)
#: With the zone known: the server's and this machine's clocks may differ a little.
_CLOCK_SLACK = dt.timedelta(minutes=5)


@frozen
class Settlement:
    """What ``reconcile`` concluded for one row (or ledger key) that may have been sent.

    Attributes:
        key: the row's key (the idempotency key).
        state: ``sent`` (found: the journal now says sent, with ``remote_id``; the
            ledger's key is completed with the found record as its result),
            ``not_sent`` (certainly absent: the next run, or call with the key, sends
            it) or ``maybe_sent`` (still unknown; the journal or ledger is unchanged).
        remote_id: the server's id of what was found.
        reason: why, for people.
    """

    key: str
    state: Literal["sent", "not_sent", "maybe_sent"]
    remote_id: str | None
    reason: str


async def reconcile(
    journal: Journal, easify: AsyncEasify, *, server_timezone: dt.tzinfo | str | None
) -> list[Settlement]:
    """`Journal.reconcile`: settle each ambiguous row, writing what is certain."""
    entries = await journal.entries()
    finder = Finder(easify, zone(server_timezone))
    # Ids the journal already gives to rows: a record another row owns is not this one's.
    for entry in entries:
        if entry.state == "sent" and entry.remote_id is not None:
            finder.claimed.add((_kind_family(entry.item.get("kind")), entry.remote_id))
    settlements = []
    for entry in entries:
        if entry.state not in AMBIGUOUS:
            continue
        settlement, _ = await finder.find(entry)
        if settlement.state != "maybe_sent":
            await journal.resolve(
                entry.key,
                sent=settlement.state == "sent",
                remote_id=settlement.remote_id,
                note=f"reconciled: {settlement.reason}",
            )
        settlements.append(settlement)
    return settlements


def zone(server_timezone: dt.tzinfo | str | None) -> dt.tzinfo | None:
    if server_timezone is None or isinstance(server_timezone, dt.tzinfo):
        return server_timezone
    try:
        return zoneinfo.ZoneInfo(server_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ArgumentError("server_timezone", f"unknown timezone {server_timezone!r}") from exc


def _kind_family(kind: object) -> str:
    return "email" if kind in ("email", "email_v3") else str(kind)


class Attempt(Protocol):
    """What a finder looks up: a journal's row (`JournalEntry`) or a ledger's entry
    (`LedgerEntry`), each keeping the same ``item`` data and attempt time."""

    @property
    def key(self) -> str: ...

    @property
    def item(self) -> dict[str, Any]: ...

    @property
    def attempted_at(self) -> dt.datetime | None: ...


#: What a finder found for an attempt: its settlement, and the record when sent.
Found = tuple[Settlement, "SmsRecord | Contact | None"]


@define
class Finder:
    """Looks attempts up, one read walk per recipient or group, cached for the ones after."""

    easify: AsyncEasify
    zone: dt.tzinfo | None
    claimed: set[tuple[str, str]] = Factory(set)
    _sms: dict[tuple[str, str, str], list[SmsRecord]] = Factory(dict)
    _groups: dict[int, list[Contact]] = Factory(dict)

    async def find(self, entry: Attempt) -> Found:
        """The settlement of ``entry``, and the record found when it says sent."""
        item, kind, attempted_at = entry.item, entry.item.get("kind"), entry.attempted_at
        if not item or attempted_at is None:
            return _unknown(entry, "cannot look it up: no content or attempt time was kept")
        since = self._since(attempted_at)
        try:
            if kind == "sms":
                return await self._settle_sms(entry, item, attempted_at, since)
            if kind == "contact":
                return await self._settle_contact(entry, item, since)
        except ArgumentError as exc:  # the row's own input cannot be looked up
            return _unknown(entry, f"cannot look it up: {exc}")
        except EasifyError as exc:  # the read failed: nothing is certain
            return _unknown(entry, f"the lookup failed: {type(exc).__name__}: {exc}")
        if _kind_family(kind) == "email":
            return _unknown(entry, "the API cannot look up an email without its id: check by hand")
        return _unknown(entry, f"the API cannot look up a {kind} request: check by hand")

    def _since(self, attempted_at: dt.datetime) -> dt.datetime:
        """The oldest server time (naive, the account's zone) the attempt's record can have."""
        if self.zone is None:
            return attempted_at.replace(tzinfo=None) - _UNKNOWN_ZONE_SLACK
        return attempted_at.astimezone(self.zone).replace(tzinfo=None) - _CLOCK_SLACK

    async def _settle_sms(
        self,
        entry: Attempt,
        item: dict[str, Any],
        attempted_at: dt.datetime,
        since: dt.datetime,
    ) -> Found:
        text = item.get("message")
        if not text:
            return _unknown(entry, "an MMS without text cannot be told apart: check by hand")
        sender = sender_number(str(item["from_number"]))
        code, receiver = split_phone_number(
            "to_number", str(item["to_number"]), item.get("country_code")
        )
        records = await self._report(sender, code, receiver, attempted_at)
        found = [
            record
            for record in records
            if record.message == text
            and record.send_by in ("sender", "")
            and record.created_at is not None
            and record.created_at >= since
            and ("sms", str(record.id)) not in self.claimed
        ]
        return self._conclude(entry, "sms", found, f"SMS to {code}{receiver}")

    async def _report(
        self, sender: str, code: str, receiver: str, attempted_at: dt.datetime
    ) -> list[SmsRecord]:
        key = (sender, code, receiver)
        if key not in self._sms:
            # A day either side: the report's dates are the account's, in an unknown zone.
            first = (attempted_at - dt.timedelta(days=1)).date()
            last = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
            self._sms[key] = [
                record
                async for record in self.easify.sms.report(
                    from_date=first,
                    to_date=last,
                    sender=sender,
                    receiver=receiver,
                    country_code=code,
                )
            ]
        return self._sms[key]

    async def _settle_contact(
        self, entry: Attempt, item: dict[str, Any], since: dt.datetime
    ) -> Found:
        group_id = int(item["group_id"])
        if group_id not in self._groups:
            self._groups[group_id] = [c async for c in self.easify.contacts.list(group_id)]
        phone, email = item.get("phone_number"), item.get("email_address")
        if phone:
            code, national = split_phone_number(
                "phone_number", str(phone), item.get("country_code")
            )
            wanted, what = f"{code}{national}", "phone_number"
        elif email:
            wanted, what = str(email).casefold(), "email_address"
        else:
            return _unknown(entry, "neither a phone number nor an email address to look up")
        found = [
            contact
            for contact in self._groups[group_id]
            if (getattr(contact, what) or "").casefold() == wanted
            and (contact.created_at is None or contact.created_at >= since)
            and ("contact", str(contact.id)) not in self.claimed
        ]
        return self._conclude(entry, "contact", found, f"contact {wanted} in group {group_id}")

    def _conclude(
        self, entry: Attempt, family: str, found: list[SmsRecord] | list[Contact], what: str
    ) -> Found:
        if not found:
            return Settlement(entry.key, "not_sent", None, f"no {what} since the attempt"), None
        if len(found) > 1:
            return _unknown(entry, f"{len(found)} matching records of {what}: check by hand")
        record, remote_id = found[0], str(found[0].id)
        self.claimed.add((family, remote_id))
        return Settlement(entry.key, "sent", remote_id, f"found {what} (id {remote_id})"), record


def _unknown(entry: Attempt, reason: str) -> Found:
    return Settlement(entry.key, "maybe_sent", None, reason), None
