"""The README's contacts examples run as written and print what they say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"


@pytest.mark.parametrize("name", ["contacts", "contacts-import"])
def test_the_contacts_example_prints_its_promised_line(name: str) -> None:
    """Run in a fresh interpreter against the in-process sandbox, it prints its comment."""
    match = re.search(
        rf"<!-- example:{name} -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
    )
    assert match, "README example not found"
    code = match.group(1)
    promised = re.search(r"# prints: (.*)", code)
    assert promised
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == promised.group(1).strip()
