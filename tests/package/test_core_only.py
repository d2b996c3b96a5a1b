"""The core-only checks, run here in the development venv with every extra hidden.

``nox -s package`` runs core_only_checks.py where the extras are really absent (a venv
with only the wheel and pytest); this runs the same file on every test run, so that a
regression shows in the normal suite too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._hiding import EXTRAS_MODULES, hiding


@pytest.mark.slow
def test_core_only_checks_pass_with_the_extras_hidden(tmp_path: Path) -> None:
    """Every check of core_only_checks.py passes where no extra can be imported."""
    checks = tmp_path / "checks"
    site = tmp_path / "site"
    checks.mkdir()
    site.mkdir()
    shutil.copy(Path(__file__).with_name("core_only_checks.py"), checks)
    # Run first by every Python started with `site` on PYTHONPATH, the checks' own included.
    (site / "sitecustomize.py").write_text(hiding(*EXTRAS_MODULES), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "core_only_checks.py"],
        cwd=checks,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
