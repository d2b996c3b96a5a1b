"""The ``easify`` command line (extra ``cli``: click and rich, imported only here)."""

from __future__ import annotations

import sys

from .._extras import MissingExtraError, needs_extra

__all__ = ["main"]


def main(args: list[str] | None = None, prog_name: str = "easify") -> None:
    """Run the ``easify`` command (the console script's entry point).

    Without the ``cli`` extra it says, in one line on stderr, what to install and exits 2.
    """
    try:
        with needs_extra("cli", "The easify command"):
            import rich  # noqa: F401  (imported by the commands on first output: check it here)

            from ._main import main as run
    except MissingExtraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    run(args, prog_name)
