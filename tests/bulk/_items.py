"""The bulk tests' rows: SMS number ``n`` of a run, and its recipient as the API keeps it."""

from __future__ import annotations

from easify_async.bulk import SmsMessage

__all__ = ["national", "sms"]


def sms(n: int, **changes: object) -> SmsMessage:
    """The ``n``-th row: its own recipient, text and key, with ``changes`` applied."""
    fields: dict[str, object] = {
        "from_number": "3152930000",
        "to_number": f"+1315135{n:04d}",
        "message": f"hi {n}",
        "key": f"k{n}",
    }
    return SmsMessage(**{**fields, **changes})  # type: ignore[arg-type]


def national(n: int) -> str:
    """The ``n``-th row's recipient as the server receives it (national, no +1)."""
    return f"315135{n:04d}"
