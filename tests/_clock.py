"""The virtual clock tests run on where time must pass without waiting for it."""

from __future__ import annotations

from typing import Any

import pytest
import trio.testing


def virtual() -> list[Any]:
    """An ``anyio_backend`` parameter list: trio with a MockClock that jumps ahead
    whenever every task waits (a fresh clock for each module that asks)."""
    return [
        pytest.param(
            ("trio", {"clock": trio.testing.MockClock(autojump_threshold=0)}),
            id="trio-virtual-clock",
        )
    ]
