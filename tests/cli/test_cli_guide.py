"""The CLI guide's sessions (`sms send` and `sms status`, `easify demo`, `sms bulk`) are
what the commands print through the real entry point, at 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli._run import clean_env
from tests.cli._session import DOCS, Step, console_session, play

GUIDE = DOCS / "guides" / "cli.md"


@pytest.fixture
def env(api_env: dict[str, str]) -> dict[str, str]:
    """The sandbox's environment, on a terminal 80 columns wide."""
    return {**api_env, "COLUMNS": "80"}


def test_the_send_and_status_session_is_what_the_cli_prints(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Each command prints its line on stdout, nothing on stderr, and exits 0."""
    steps = console_session(GUIDE, "easify sms send --from")
    runs = play(steps, env=env, cwd=tmp_path)
    assert [(run.code, run.err) for run in runs] == [(0, ""), (0, "")]
    assert [run.out.splitlines() for run in runs] == [step.shown for step in steps]


def test_the_demo_session_is_what_the_cli_prints(tmp_path: Path) -> None:
    """The plan and the progress on stderr, the summary from its title on stdout, exit 0;
    the port and the achieved share of the limit's rate vary from run to run."""
    [step] = steps = console_session(GUIDE, "easify demo")
    varying = (r"(?<=127\.0\.0\.1:)\d+", r" *\d+%")
    [run] = play(steps, env=clean_env(), cwd=tmp_path, varying=varying)
    summary = step.shown.index("easify demo")
    assert len(run.err.splitlines()) == summary
    assert run.out.splitlines()[0] == "easify demo"


def test_the_bulk_session_is_what_the_cli_prints(env: dict[str, str], tmp_path: Path) -> None:
    """The dry run, the run with its failures (exit 4), the rerun in JSON lines."""

    def big_csv(step: Step) -> None:
        """``wc -l < big.csv``: "a header and 1,000 rows like those", the valid rows of
        customers.csv again."""
        assert step.command == "wc -l < big.csv"
        rows = (tmp_path / "customers.csv").read_text().splitlines()
        valid = [r for r in rows[1:] if r.split(",")[0] in {"c-1", "c-2", "c-3"}]
        big = [rows[0], *(f"b-{n}," + valid[n % 3].split(",", 1)[1] for n in range(1000))]
        (tmp_path / "big.csv").write_text("\n".join(big) + "\n")
        assert step.shown == [str(len(big))]

    steps = console_session(GUIDE, "easify sms bulk customers")
    runs = play(steps, env=env, cwd=tmp_path, other=big_csv)
    assert [run.code for run in runs] == [0, 4, 4]  # the rerun: still 2 rows failed
