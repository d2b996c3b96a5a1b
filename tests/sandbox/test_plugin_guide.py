"""The pytest fixtures work as the sandbox guide shows (its examples run in tests/docs)."""

from __future__ import annotations

import pytest

from easify_async.sandbox import DEMO_FROM_NUMBER, Sandbox


@pytest.mark.anyio
async def test_the_pytest_fixtures_from_the_guide(
    easify_sandbox: Sandbox, easify_client: object
) -> None:
    """The plugin's fixtures work as the guide shows."""
    from easify_async import AsyncEasify

    assert isinstance(easify_client, AsyncEasify)
    await easify_client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Welcome!")
    assert easify_sandbox.sent_sms[0].message == "Welcome!"
