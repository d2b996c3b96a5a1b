"""Faults the sandbox can inject, by rate or queued one by one, for robustness tests."""

from __future__ import annotations

import random
from collections import deque
from typing import Literal

from attrs import Factory, define, field

__all__ = ["FaultKind", "Faults"]

FaultKind = Literal["server_error", "html", "drop"]


@define(kw_only=True)
class Faults:
    """What goes wrong, and how often.

    Attributes:
        server_error: fraction of requests answered 500 before they are processed.
        html: fraction answered by a 502 HTML gateway page before they are processed.
        drop: fraction processed (a send is recorded) whose connection then drops.
        latency: (min, max) seconds added to every request.
        seed: for reproducible random draws.

    Examples:
        >>> faults = Faults(drop=0.1)
        >>> faults.queue("html", 2)   # the next two requests get the gateway page
    """

    server_error: float = 0.0
    html: float = 0.0
    drop: float = 0.0
    latency: tuple[float, float] = (0.0, 0.0)
    seed: int | None = None
    _queued: deque[FaultKind] = Factory(deque)
    _random: random.Random = field(init=False)

    def __attrs_post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def queue(self, kind: FaultKind, count: int = 1) -> None:
        """Make the next ``count`` requests fail with ``kind``, whatever the rates."""
        self._queued.extend([kind] * count)

    def draw(self) -> FaultKind | None:
        """The fault for the request arriving now, if any."""
        if self._queued:
            return self._queued.popleft()
        roll = self._random.random()
        for kind, rate in (
            ("server_error", self.server_error),
            ("html", self.html),
            ("drop", self.drop),
        ):
            if roll < rate:
                return kind  # type: ignore[return-value]
            roll -= rate
        return None

    def delay(self) -> float:
        """Seconds of latency for the request arriving now."""
        low, high = self.latency
        return self._random.uniform(low, high) if high > 0 else 0.0
