"""Checking the durations a user gives the webhook receivers and guards."""

from __future__ import annotations

import math

from ..errors import ArgumentError

__all__ = ["seconds"]


def seconds(argument: str, value: float) -> float:
    """``value`` if it is a finite number of seconds above 0 (NaN would compare false).

    Raises:
        ArgumentError: it is not.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ArgumentError(argument, f"must be a finite number of seconds above 0, not {value!r}")
    return float(value)
