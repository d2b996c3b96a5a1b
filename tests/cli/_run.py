"""Running the real ``easify`` console script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from attrs import frozen

# The script installed beside this interpreter, so the suite tests its own environment.
EASIFY = shutil.which("easify", path=str(Path(sys.executable).parent)) or "easify"


@frozen
class Done:
    """A finished ``easify`` run."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[dict[str, Any]]:
        """stdout as JSON lines (--json)."""
        return [json.loads(line) for line in self.out.splitlines()]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the user's EASIFY_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EASIFY_")}
    env.update(COLUMNS="80", **extra)  # a classic terminal: output must fit it uncut
    return env


def easify(
    *args: str, env: dict[str, str] | None = None, stdin: bytes = b"", cwd: Path | None = None
) -> Done:
    """Run ``easify ARGS`` to the end (in the folder ``cwd``, if given)."""
    done = subprocess.run(
        [EASIFY, *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        env=clean_env() if env is None else env,
        timeout=60,
        check=False,
    )
    return Done(done.returncode, done.stdout.decode(), done.stderr.decode())


def interrupted(*args: str, sent: int, env: dict[str, str]) -> Done:
    """Run ``easify ARGS --json`` (a bulk command) until ``sent`` rows are sent, then
    press Ctrl-C (SIGINT); its end, with the lines printed after those rows."""
    with subprocess.Popen(
        [EASIFY, *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        assert process.stdout is not None
        for _ in range(sent):
            assert json.loads(process.stdout.readline())["outcome"] == "sent"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    return Done(process.returncode, out.decode(), err.decode())
