"""Settling a journal's "maybe sent" rows (and a ledger's ambiguous keys,
`easify_async.ledgers.reconcile`) from what the API recorded (reads only)."""

from __future__ import annotations

import contextlib
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
    for entry in entries:
        if entry.state == "sent":
            finder.own(entry.item, entry.remote_id)
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
    """Looks attempts up, one read walk per recipient or group, cached for the ones after.

    A record another attempt owns is never this one's: before the lookups, `own` is told
    of every attempt already settled sent (a journal's sent rows, a ledger's completed
    keys).
    """

    easify: AsyncEasify
    zone: dt.tzinfo | None
    #: (kind family, remote id) of the records sent attempts own.
    claimed: set[tuple[str, str]] = Factory(set)
    #: What sent attempts whose record is unknown (settled sent by hand without an id)
    #: looked for: a record matching one of them may be theirs.
    _unowned: set[tuple[object, ...]] = Factory(set)
    _sms: dict[tuple[str, str, str], list[SmsRecord]] = Factory(dict)
    _groups: dict[int, list[Contact]] = Factory(dict)

    def own(self, item: dict[str, Any], remote_id: str | None) -> None:
        """Note an attempt settled sent: its record, by id when known, is not another's."""
        if remote_id is not None:
            self.claimed.add((_kind_family(item.get("kind")), remote_id))
            return
        # An item that kept no lookup (an older version's) cannot match a record anyway.
        with contextlib.suppress(ArgumentError, KeyError, ValueError):
            self._unowned.add(_signature(item))

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
        sender, code, receiver = _sms_lookup(item)
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
        return self._conclude(entry, item, "sms", found, f"SMS to {code}{receiver}")

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
        lookup = _contact_lookup(item)
        if lookup is None:
            return _unknown(entry, "neither a phone number nor an email address to look up")
        field_name, wanted = lookup
        found = [
            contact
            for contact in self._groups[group_id]
            if (getattr(contact, field_name) or "").casefold() == wanted
            and (contact.created_at is None or contact.created_at >= since)
            and ("contact", str(contact.id)) not in self.claimed
        ]
        what = f"contact {wanted} in group {group_id}"
        return self._conclude(entry, item, "contact", found, what)

    def _conclude(
        self,
        entry: Attempt,
        item: dict[str, Any],
        family: str,
        found: list[SmsRecord] | list[Contact],
        what: str,
    ) -> Found:
        if not found:
            return Settlement(entry.key, "not_sent", None, f"no {what} since the attempt"), None
        if len(found) > 1:
            return _unknown(entry, f"{len(found)} matching records of {what}: check by hand")
        if _signature(item) in self._unowned:
            reason = f"a key settled sent without an id may own the {what} found: check by hand"
            return _unknown(entry, reason)
        record, remote_id = found[0], str(found[0].id)
        self.claimed.add((family, remote_id))
        return Settlement(entry.key, "sent", remote_id, f"found {what} (id {remote_id})"), record


def _signature(item: dict[str, Any]) -> tuple[object, ...]:
    """What an attempt's record is found by: an SMS's sender, recipient and text; a
    contact's group and number (or address). Raises `ArgumentError` on a row's bad input."""
    kind = item.get("kind")
    if kind == "sms":
        return (kind, *_sms_lookup(item), item.get("message"))
    if kind == "contact":
        return (kind, int(item["group_id"]), *(_contact_lookup(item) or ()))
    return (kind,)


def _sms_lookup(item: dict[str, Any]) -> tuple[str, str, str]:
    """An SMS row's sender, and its recipient's country code and national number."""
    sender = sender_number(str(item["from_number"]))
    code, receiver = split_phone_number(
        "to_number", str(item["to_number"]), item.get("country_code")
    )
    return sender, code, receiver


def _contact_lookup(item: dict[str, Any]) -> tuple[str, str] | None:
    """The contact field a row is found by and its value, ``None`` when it has neither."""
    phone, email = item.get("phone_number"), item.get("email_address")
    if phone:
        code, national = split_phone_number("phone_number", str(phone), item.get("country_code"))
        return "phone_number", f"{code}{national}"
    if email:
        return "email_address", str(email).casefold()
    return None


def _unknown(entry: Attempt, reason: str) -> Found:
    return Settlement(entry.key, "maybe_sent", None, reason), None
