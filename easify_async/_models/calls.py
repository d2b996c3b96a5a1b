"""Voice calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

__all__ = ["VoiceCall"]


@frozen(kw_only=True)
class VoiceCall:
    """One call of ``voice_calls.history``.

    The docs show only the item's ``id`` (a string); the fields the page describes in
    words ("from, to, status, recording URL") are typed here under those names, every
    other field the server sends is kept as it came in ``extra``.

    Attributes:
        id: the call's id (text).
        from_number: the caller (the API's ``from``), E.164.
        to_number: the called number (the API's ``to``).
        status: the call's status, as the server writes it.
        recording_url: its recording, if any.
        created_at: when it took place.
        extra: every other field of the item, unchanged.
    """

    id: str
    from_number: str | None = None
    to_number: str | None = None
    status: str | None = None
    recording_url: str | None = None
    created_at: dt.datetime | None = None
    extra: Mapping[str, Any] = field(factory=dict)
