"""The README's lists example runs as written."""

from __future__ import annotations

import subprocess
import sys

from tests.sandbox.test_readme_examples import example


def test_the_lists_example_prints_what_it_says() -> None:
    """Numbers, a report of one's own send, templates and a campaign to completion."""
    done = subprocess.run(
        [sys.executable, "-c", example("lists")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "+13151350000 Delivered",
        "Completed: 2/2 done (success 2, failed 0, cancelled 0, pending 0, running 0, hold 0)",
    ]
