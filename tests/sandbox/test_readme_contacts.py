"""The README's contacts example runs as written and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def test_the_contacts_example_prints_its_promised_line() -> None:
    """Run in a fresh interpreter against the in-process sandbox, it prints its comment."""
    match = re.search(
        r"<!-- example:contacts -->\n```python\n(.*?)```", README.read_text(), re.DOTALL
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
