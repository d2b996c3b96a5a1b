"""A console session of the docs (``$ command`` lines, each followed by what it prints),
read from its page and played through the real ``easify`` entry point."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from attrs import frozen

from tests.cli._run import Done, easify

__all__ = ["DOCS", "Step", "console_session", "play"]

DOCS = Path(__file__).parents[2] / "docs"
# What changes run to run in any session: a run's duration.
_TIMES = (r"(?<=in )[0-9.]+(?= s )", r'(?<="elapsed_seconds": )[0-9.]+')


@frozen
class Step:
    """One command of a session and the lines shown under it."""

    command: str
    shown: list[str]


def console_session(page: Path, opening: str) -> list[Step]:
    """The ```` ```console ```` block of ``page`` holding a command that starts with
    ``opening``, as its steps (a command's trailing ``  # comment`` dropped)."""
    blocks = page.read_text().split("```console\n")[1:]
    [block] = [b.split("\n```")[0] for b in blocks if f"\n$ {opening}" in f"\n{b}"]
    steps: list[Step] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append(Step(line[2:].split("  #")[0].strip(), []))
        else:
            steps[-1].shown.append(line)
    assert any(step.command.startswith(opening) for step in steps)
    return steps


def play(
    steps: Sequence[Step],
    *,
    env: Mapping[str, str],
    cwd: Path,
    varying: Sequence[str] = (),
    other: Callable[[Step], None] | None = None,
) -> list[Done]:
    """Run a session in ``cwd``, checking that each command prints what it shows.

    - ``cat FILE``: writes the lines shown into ``FILE``;
    - ``echo $?``: the exit code of the ``easify`` run before it is the one shown;
    - ``easify ...``: runs through the real entry point with ``env``; a ``--json`` run
      prints the lines shown on stdout, any other prints them on stderr then stdout (a
      terminal shows both);
    - anything else: ``other(step)``.

    Output is compared without a run's duration, trailing blanks, and the parts that
    the regular expressions ``varying`` match (each replaced by ``<varies>``).

    Returns:
        The ``easify`` runs, in order, for the checks a test adds (the exit codes a
        session does not show).
    """
    runs: list[Done] = []
    for step in steps:
        if step.command.startswith("cat "):
            (cwd / step.command.split()[1]).write_text("\n".join(step.shown) + "\n")
        elif step.command == "echo $?":
            assert step.shown == [str(runs[-1].code)]
        elif step.command.startswith("easify "):
            args = shlex.split(step.command)[1:]
            done = easify(*args, env=dict(env), cwd=cwd)
            printed = done.out if "--json" in args else done.err + done.out
            assert _steady(printed.splitlines(), varying) == _steady(step.shown, varying), (
                step.command,
                done.err,
            )
            runs.append(done)
        else:
            assert other is not None, f"a step the session cannot play: {step.command}"
            other(step)
    return runs


def _steady(lines: Sequence[str], varying: Sequence[str]) -> list[str]:
    """``lines`` without trailing blanks, what ``_TIMES`` and ``varying`` match marked."""
    pattern = "|".join((*_TIMES, *varying))
    return [re.sub(pattern, "<varies>", line.rstrip()) for line in lines]
