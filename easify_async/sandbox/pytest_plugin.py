"""pytest fixtures for testing your code against the sandbox (installed as a pytest plugin).

Only pytest is imported here; the sandbox itself is imported when a fixture is used.

Example:
    >>> @pytest.mark.anyio  # doctest: +SKIP
    ... async def test_welcome_sms(easify_sandbox, easify_client):
    ...     await send_welcome(easify_client)
    ...     assert easify_sandbox.sent_sms[0].message == "Welcome!"
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from easify_async import AsyncEasify
    from easify_async.sandbox import Sandbox


@pytest.fixture
def easify_sandbox() -> Sandbox:
    """A fresh sandbox with the demo account and real 60-second windows."""
    from easify_async.sandbox import Sandbox

    return Sandbox()


@pytest.fixture
async def easify_client(easify_sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    """An ``AsyncEasify`` for the demo account, talking to ``easify_sandbox`` in process."""
    from easify_async import AsyncEasify
    from easify_async.sandbox import DEMO_TOKEN

    async with (
        easify_sandbox,
        AsyncEasify(DEMO_TOKEN, transport=easify_sandbox.transport()) as client,
    ):
        yield client
