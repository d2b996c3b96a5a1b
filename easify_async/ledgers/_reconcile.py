"""Settling a ledger's ambiguous keys from what the API recorded (reads only)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .._bulk._reconcile import Finder, Settlement, zone
from ..errors import JournalError, LedgerUnavailableError

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from .._models.contacts import Contact
    from .._models.sms import SmsRecord
    from ._entry import LedgerEntry
    from ._protocol import Ledger

__all__ = ["reconcile"]


async def reconcile(
    ledger: Ledger, easify: AsyncEasify, *, server_timezone: dt.tzinfo | str | None = None
) -> list[Settlement]:
    """Settle each of the ledger's ambiguous keys (`Ledger.ambiguous`) from what the API
    recorded: the same lookup as a journal's reconcile (`Journal.reconcile`), by the
    request the key was claimed for (`LedgerEntry.item`) and when (``attempted_at``).

    - found (one SMS of the same sender, recipient and text in ``sms.report``, one
      contact of the same number or address in the group, since the attempt): the key
      is settled sent, with the found record as its result (for an SMS, an `SmsSent`
      with its ``sms_id``; for a contact, the `Contact`), which later calls with the key
      return without a request;
    - certainly absent: the key is settled not sent, so the next call with it sends;
    - otherwise (an email, an MMS without text, several matches, an entry of an older
      version that kept no request, a failed read): left as it is, and reported.

    Only reads are made: one report walk per sender and recipient, one contacts walk
    per group. Run it when no claimer of these keys can come back (their leases ran out).

    Examples:
        >>> settled = await reconcile(ledger, easify, server_timezone="UTC")  # doctest: +SKIP
        >>> [(s.key, s.state) for s in settled]  # doctest: +SKIP
        [('order-7', 'sent'), ('order-8', 'not_sent')]

    Args:
        ledger: the ledger whose ambiguous keys to settle.
        easify: an open client of the account the keys' requests were sent with.
        server_timezone: the account's timezone (the API's times carry none); ``None``
            widens the search window to cover any zone, which may leave more keys
            unsettled (more than one match) but never settles one wrongly as absent.

    Returns:
        One `Settlement` per ambiguous key, in the ledger's order.

    Raises:
        ArgumentError: an unknown ``server_timezone``.
        LedgerUnavailableError: the ledger cannot be read or written.
    """
    finder = Finder(easify, zone(server_timezone))
    for done in await ledger.completed():
        finder.own(done.item, _remote_id(done))
    settlements = []
    for entry in await ledger.ambiguous():
        settlement, record = await finder.find(entry)
        if settlement.state != "maybe_sent":
            try:
                await ledger.settle(
                    entry.key,
                    sent=settlement.state == "sent",
                    result=None if record is None else _result(entry, record),
                    note=f"reconciled: {settlement.reason}",
                    only_if_unknown=True,
                )
            except LedgerUnavailableError:
                raise
            except JournalError as exc:  # its claimer came back, or it was settled since
                settlement = Settlement(entry.key, "maybe_sent", None, f"left: {exc}")
        settlements.append(settlement)
    return settlements


def _remote_id(entry: LedgerEntry) -> str | None:
    """The server's id of a completed key's record, from its result's data."""
    name = "sms_id" if entry.item.get("kind") == "sms" else "id"
    found = (entry.result or {}).get(name)
    return None if found is None else str(found)


def _result(entry: LedgerEntry, record: SmsRecord | Contact) -> dict[str, Any]:
    """The result the key's call would have returned, from the record found: its data."""
    from .._models.sms import SmsSent
    from .._serde import to_dict

    if entry.item.get("kind") == "sms":
        return to_dict(SmsSent(sms_id=str(record.id)))
    return to_dict(record)
