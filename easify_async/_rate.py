"""One rate: how many requests per period (a route's documented limit, a client's own)."""

from __future__ import annotations

import math
from typing import Any

from attrs import field, frozen

from .errors import ArgumentError

__all__ = ["RateLimit", "seconds"]


def seconds(argument: str, value: object, *, zero: bool = False) -> float:
    """``value`` as float seconds: finite, above 0 (or 0 itself when ``zero``)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not zero)
    ):
        least = "0 or more" if zero else "above 0"
        raise ArgumentError(argument, f"must be a finite number of seconds {least}, not {value!r}")
    return float(value)


def _period(value: object) -> float:
    return seconds("period", value)


def _positive_int(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(attribute.name, f"must be a positive integer, not {value!r}")


@frozen
class RateLimit:
    """At most ``limit`` requests per ``period`` seconds.

    Examples:
        >>> RateLimit(15, 60.0)
        RateLimit(limit=15, period=60.0)
    """

    limit: int = field(validator=_positive_int)
    period: float = field(converter=_period)

    def scaled(self, factor: float) -> RateLimit:
        """The same limit over ``period * factor`` seconds."""
        return RateLimit(self.limit, self.period * seconds("factor", factor))
