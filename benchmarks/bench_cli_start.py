"""How fast the ``easify`` command starts, as ratios measured in one run.

The median wall time of ``easify --version``, ``easify --help`` and
``easify sms send --help`` (each a fresh process running the installed console script)
against ``python -c "import httpx"``, the floor of any command that makes a request.
Runs alternate between the four, so machine noise hits them alike.

Run: ``python benchmarks/bench_cli_start.py [--runs N]``; ``nox -s bench`` runs them all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The script installed beside this interpreter (as tests/cli/_run.py finds it), else the module.
SCRIPT = shutil.which("easify", path=str(Path(sys.executable).parent))
EASIFY = [SCRIPT] if SCRIPT else [sys.executable, "-m", "easify_async"]

COMMANDS = {
    "easify --version": [*EASIFY, "--version"],
    "easify --help": [*EASIFY, "--help"],
    "easify sms send --help": [*EASIFY, "sms", "send", "--help"],
    'python -c "import httpx"': [sys.executable, "-c", "import httpx"],
}
BASELINE = 'python -c "import httpx"'


def wall_time(command: list[str]) -> float:
    """Seconds from starting ``command`` to its exit (it must succeed)."""
    env = {**os.environ, "COLUMNS": "80"}
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    for command in COMMANDS.values():  # warm the file cache (bytecode, site-packages)
        wall_time(command)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            samples[name].append(wall_time(command))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    floor = medians[BASELINE]
    for name, median in medians.items():
        print(f"{name:<28} median {median * 1e3:6.0f} ms  ratio {median / floor:.2f}x")


if __name__ == "__main__":
    main()
