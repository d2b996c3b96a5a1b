"""The README's sandbox examples run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from easify_async.sandbox import DEMO_FROM_NUMBER, Sandbox

README = Path(__file__).parents[2] / "README.md"


def example(name: str) -> str:
    match = re.search(
        rf"<!-- example:{name} -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
    )
    assert match, f"README example {name!r} not found"
    return match.group(1)


def test_the_sandbox_example_prints_what_it_says() -> None:
    """The quick sandbox example runs in a fresh interpreter and prints its promised line."""
    done = subprocess.run(
        [sys.executable, "-c", example("sandbox")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "20 sent, 0 refused, Delivered"


@pytest.mark.anyio
async def test_the_pytest_fixtures_from_the_readme(
    easify_sandbox: Sandbox, easify_client: object
) -> None:
    """The plugin's fixtures work as the README shows."""
    from easify_async import AsyncEasify

    assert isinstance(easify_client, AsyncEasify)
    await easify_client.sms.send(DEMO_FROM_NUMBER, "+13151350000", message="Welcome!")
    assert easify_sandbox.sent_sms[0].message == "Welcome!"


def test_the_seeding_example_prints_what_it_says() -> None:
    """Records seeded from code and from JSON come back through the client (issue 20.14)."""
    done = subprocess.run(
        [sys.executable, "-c", example("seed")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "7 Front desk Ann VIP Hi!"
