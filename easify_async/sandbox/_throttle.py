"""Laravel's cache throttle, as the Easify backend runs it (spec §4.5)."""

from __future__ import annotations

import math
from collections.abc import Callable

from attrs import Factory, define, frozen

__all__ = ["Decision", "FixedWindowThrottle"]


@frozen
class Decision:
    """The throttle's answer to one request."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # whole seconds, rounded down as Laravel's availableIn() does


@define
class _Window:
    opened_at: float
    hits: int = 0


@define
class FixedWindowThrottle:
    """A fixed window per key, opened by its first counted hit and lasting ``period``.

    Checked before counting: the ``limit``-th + 1 request of a window is refused, and a
    refused request is not counted.
    """

    period: float
    clock: Callable[[], float]
    _windows: dict[str, _Window] = Factory(dict)

    def hit(self, key: str, limit: int) -> Decision:
        """Count a request against ``key`` unless its window is full."""
        now = self.clock()
        window = self._windows.get(key)
        if window is None or now >= window.opened_at + self.period:
            window = self._windows[key] = _Window(opened_at=now)
        if window.hits >= limit:
            left = window.opened_at + self.period - now
            return Decision(False, limit, 0, max(0, math.floor(left)))
        window.hits += 1
        return Decision(True, limit, limit - window.hits, 0)

    def seconds_left(self, key: str) -> float:
        """Seconds until ``key``'s window closes (0 when none is open)."""
        window = self._windows.get(key)
        return 0.0 if window is None else max(0.0, window.opened_at + self.period - self.clock())
