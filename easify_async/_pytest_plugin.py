"""pytest fixtures for testing your code against the sandbox (installed as a pytest plugin).

Outside `easify_async.sandbox` so that it loads with the core install alone: pytest loads
it in every project where the package is installed, and it imports only pytest. The
sandbox (extra ``sandbox``) is imported when a fixture is used; without the extra, the
test using it fails saying what to install.

Examples:
    >>> @pytest.mark.anyio  # doctest: +SKIP
    ... async def test_welcome_sms(easify_sandbox, easify_client):
    ...     await send_welcome(easify_client)
    ...     assert easify_sandbox.sent_sms[0].message == "Welcome!"
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

from ._extras import MissingExtraError

if TYPE_CHECKING:
    from ._client import AsyncEasify
    from .sandbox import Sandbox

__all__ = ["easify_client", "easify_sandbox"]


@pytest.fixture
def easify_sandbox() -> Sandbox:
    """A fresh sandbox with the demo account and real 60-second windows."""
    try:
        from .sandbox import Sandbox
    except MissingExtraError as exc:
        pytest.fail(f"the easify_sandbox fixture: {exc}", pytrace=False)
    return Sandbox()


@pytest.fixture
async def easify_client(easify_sandbox: Sandbox) -> AsyncIterator[AsyncEasify]:
    """An ``AsyncEasify`` for the demo account, talking to ``easify_sandbox`` in process."""
    from ._client import AsyncEasify
    from .sandbox import DEMO_TOKEN

    async with (
        easify_sandbox,
        AsyncEasify(DEMO_TOKEN, transport=easify_sandbox.transport()) as client,
    ):
        yield client
