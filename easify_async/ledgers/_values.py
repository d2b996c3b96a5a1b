"""A recorded error as the JSON data a store keeps, through the SDK's one converter."""

from __future__ import annotations

from typing import Any

from ._entry import RecordedError

__all__ = ["error_data", "error_from_data"]


def error_data(error: RecordedError | None) -> dict[str, Any] | None:
    """``error`` as JSON-safe data, or None."""
    from .._serde import to_dict

    return None if error is None else to_dict(error)


def error_from_data(data: Any) -> RecordedError:
    """The `RecordedError` `error_data` gave ``data`` for."""
    from .._serde import from_dict

    return from_dict(data, RecordedError)
