"""How long a bulk run takes at the rate limit."""

from __future__ import annotations

import math

from .._rate_limits import RateLimit, RateLimits
from ..errors import ArgumentError

__all__ = ["describe_eta", "estimate_duration"]

_DEFAULT = RateLimits()


def _default_margin(rate: RateLimit) -> float:
    """The default `RateLimits` margin, scaled like ``rate``'s window.

    One second for a minute-long window, as `RateLimits`; for limits made by
    ``RateLimits().scaled(f)`` it is their own margin, ``f`` seconds.
    """
    return _DEFAULT.margin * rate.period / _DEFAULT.sms_send.period


def estimate_duration(count: int, rate: RateLimit, margin: float | None = None) -> float:
    """Seconds to send ``count`` items at ``rate``: one window per ``limit`` items.

    The first window's requests go at once; each further window opens ``period +
    margin`` after the previous one (network time not included).

    Args:
        count: items to send.
        rate: the send limit in use (``limits.sms_send``).
        margin: the ``margin`` of the `RateLimits` in use; by default the default
            margin scaled with the window (1 s a minute), which is right for
            ``RateLimits()`` and for ``RateLimits().scaled(f)``.

    Examples:
        >>> estimate_duration(1000, RateLimit(15, 60.0), margin=0)
        3960.0
        >>> round(estimate_duration(200, RateLimits().scaled(1 / 60).sms_send), 2)  # 1 s window
        13.22
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise ArgumentError("count", f"expected an int, got {type(count).__name__}")
    if not isinstance(rate, RateLimit):
        raise ArgumentError("rate", f"expected a RateLimit, got {type(rate).__name__}")
    if margin is not None and (
        isinstance(margin, bool)
        or not isinstance(margin, (int, float))
        or not math.isfinite(margin)
        or margin < 0
    ):
        raise ArgumentError(
            "margin", f"must be a finite number of seconds, 0 or more, not {margin!r}"
        )
    if count <= 0:
        return 0.0
    if margin is None:
        margin = _default_margin(rate)
    return (math.ceil(count / rate.limit) - 1) * (rate.period + margin)


def describe_eta(count: int, rate: RateLimit, *, noun: str, margin: float | None = None) -> str:
    """A line for people, e.g. ``"1,000 SMS at 15/min: about 67 minutes"``.

    ``margin`` is as for `estimate_duration`.

    Examples:
        >>> describe_eta(1000, RateLimit(15, 60.0), noun="SMS")
        '1,000 SMS at 15/min: about 67 minutes'
        >>> describe_eta(16, RateLimits().scaled(1 / 60).sms_send, noun="SMS")
        '16 SMS at 15/1s: about 1 second'
    """
    seconds = estimate_duration(count, rate, margin)
    if not isinstance(noun, str):
        raise ArgumentError("noun", f"expected a string, got {type(noun).__name__}")
    per = "min" if rate.period == 60 else f"{rate.period:g}s"
    return f"{count:,} {noun} at {rate.limit}/{per}: about {describe_duration(seconds)}"


def describe_duration(seconds: float) -> str:
    """``"1 second"``, ``"13 seconds"``, ``"67 minutes"``, ``"2.5 hours"``."""
    if seconds < 90:
        return _plural(round(seconds), "second")
    if seconds < 90 * 60:
        return _plural(round(seconds / 60), "minute")
    return f"{seconds / 3600:.1f} hours"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
