"""Laravel's cache throttle, as the Easify backend runs it (spec §4.5).

Laravel's ``RateLimiter`` counts in whole seconds: the first hit stores the window's end
as ``floor(now) + decay``, a refused request is told ``end - floor(now)`` seconds
(``availableIn``), and the window is over once ``floor(now)`` reaches its end. So a
window lasts between ``decay - 1`` and ``decay`` seconds after its first hit, and the
wait it states is always between 1 and ``decay`` and always enough.

A sandbox with a shortened period keeps that shape: its window is 60 ticks of
``period / 60`` seconds (one tick is one of Laravel's seconds, scaled), and the wait it
states is the real seconds left, rounded up to a whole second as the headers need.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from attrs import Factory, define, frozen

__all__ = ["TICKS_PER_WINDOW", "Decision", "FixedWindowThrottle"]

#: Laravel's decay of 60 whole seconds: a window is this many ticks long.
TICKS_PER_WINDOW = 60


@frozen
class Decision:
    """The throttle's answer to one request.

    Attributes:
        allowed: counted and let through.
        limit: the requests a window allows.
        remaining: how many more this window allows (0 when refused).
        retry_after: when refused, whole seconds until the window reopens (1 or more).
        reopens_at: when refused, the clock time at which the window reopens.
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: int = 0
    reopens_at: float = 0.0


@define
class _Window:
    end_tick: int
    hits: int = 0


@define
class FixedWindowThrottle:
    """A fixed window per key, opened by its first counted hit.

    Checked before counting: the ``limit``-th + 1 request of a window is refused, and a
    refused request is not counted.
    """

    period: float
    clock: Callable[[], float]
    _windows: dict[str, _Window] = Factory(dict)

    def hit(self, key: str, limit: int) -> Decision:
        """Count a request against ``key`` unless its window is full."""
        ticks_per_second = TICKS_PER_WINDOW / self.period  # exactly 1.0 for a real minute
        tick = math.floor(self.clock() * ticks_per_second)
        window = self._windows.get(key)
        if window is None or tick >= window.end_tick:
            window = self._windows[key] = _Window(end_tick=tick + TICKS_PER_WINDOW)
        if window.hits >= limit:
            seconds = (window.end_tick - tick) / ticks_per_second
            # round() first, so that a whole number of seconds reached in floats (60 ticks
            # of 1/60 s) is not rounded up to one more.
            retry_after = math.ceil(round(seconds, 9))
            return Decision(False, limit, 0, retry_after, window.end_tick / ticks_per_second)
        window.hits += 1
        return Decision(True, limit, limit - window.hits)
