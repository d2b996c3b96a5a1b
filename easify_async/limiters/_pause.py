"""How long a limiter may pause a key, whatever it is asked: a store never holds an absurd pause."""

from __future__ import annotations

import math

from ..errors import ArgumentError

__all__ = ["MAX_PAUSE", "pause_length"]

#: The longest pause a limiter holds, in seconds: five of the API's one-minute windows. A
#: longer stated wait is the caller's to refuse; here it must not block a key (in Redis:
#: across restarts) for longer.
MAX_PAUSE = 300.0


def pause_length(seconds: float) -> float:
    """``seconds`` as a pause a store may hold: ``0`` for a wait already over, at most `MAX_PAUSE`.

    Raises:
        ArgumentError: ``seconds`` is NaN, which is no length at all.
    """
    if math.isnan(seconds):
        raise ArgumentError("seconds", "a pause must be a number of seconds, not NaN")
    return min(max(seconds, 0.0), MAX_PAUSE)
