"""How long a bulk run takes at the rate limit."""

from __future__ import annotations

import math

from .._rate_limits import RateLimit

__all__ = ["describe_eta", "estimate_duration"]


def estimate_duration(count: int, rate: RateLimit, margin: float = 1.0) -> float:
    """Seconds to send ``count`` items at ``rate``: one window per ``limit`` items.

    The first window's requests go at once; each further window opens ``period +
    margin`` after the previous one (network time not included).

    Example:
        >>> estimate_duration(1000, RateLimit(15, 60.0), margin=0)
        3960.0
    """
    if count <= 0:
        return 0.0
    return (math.ceil(count / rate.limit) - 1) * (rate.period + margin)


def describe_eta(count: int, rate: RateLimit, *, noun: str, margin: float = 1.0) -> str:
    """A line for people, e.g. ``"1,000 SMS at 15/min: about 67 minutes"``.

    Example:
        >>> describe_eta(1000, RateLimit(15, 60.0), noun="SMS")
        '1,000 SMS at 15/min: about 67 minutes'
    """
    seconds = estimate_duration(count, rate, margin)
    per = "min" if rate.period == 60 else f"{rate.period:g}s"
    if seconds < 90:
        about = f"about {round(seconds)} seconds"
    elif seconds < 90 * 60:
        about = f"about {round(seconds / 60)} minutes"
    else:
        about = f"about {seconds / 3600:.1f} hours"
    return f"{count:,} {noun} at {rate.limit}/{per}: {about}"
