"""The account's Easify phone numbers."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

__all__ = ["PhoneNumber"]


@frozen(kw_only=True)
class PhoneNumber:
    """One of the account's active, approved Easify numbers (``GET phone-numbers``).

    Attributes:
        id: what ``phone_numbers.update_webhook`` takes.
        number: E.164, e.g. ``"+13152930000"``.
        approved: ``"Approved"``.
        gateway: e.g. ``"Twilio"``, ``"Easify SMS Gateway"``.
        name: the number's name in the web app.
        status: ``"Active"``.
        webhook_url: where incoming SMS on this number are posted, if set.
        created_at: when it was added.
    """

    id: int
    number: str
    approved: str = ""
    gateway: str = ""
    name: str = ""
    status: str = ""
    webhook_url: str | None = None
    created_at: dt.datetime | None = None
