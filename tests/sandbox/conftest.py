"""Sandbox test fixtures."""

from __future__ import annotations

import pytest
from attrs import define


@define
class FakeClock:
    """A monotonic clock that moves only when told to."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
