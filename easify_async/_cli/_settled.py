"""What ``easify journal reconcile`` and ``easify ledger reconcile`` share: a settle run
on a store they open, its report, and exit 7 while something may have been sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._output import Output, plural
from ._run import ExitCode

if TYPE_CHECKING:
    from .._bulk import Settlement

__all__ = ["settle_and_report"]

S = TypeVar("S")


async def settle_and_report(
    output: Output,
    opened: AbstractAsyncContextManager[S],
    settle: Callable[[S], Awaitable[list[Settlement]]],
    *,
    what: Literal["row", "key"],
) -> ExitCode:
    """``settle`` the store ``opened`` gives (closed once settled), then report: one JSON
    line per settlement and a summary with ``--json``, else a table and a count.

    Returns:
        `ExitCode.CHECK` while some ``what`` (rows, keys) may still have been sent.
    """
    async with opened as store:
        settled = await settle(store)
    left = sum(s.state == "maybe_sent" for s in settled)
    if output.json:
        for settlement in settled:
            output.emit(_fields(settlement))
        output.emit({"summary": {f"{what}s": len(settled), "still_maybe_sent": left}})
    else:
        _print(output, settled, left, what)
    return ExitCode.CHECK if left else ExitCode.OK


def _fields(settlement: Settlement) -> dict[str, Any]:
    from .._serde import to_dict

    return to_dict(settlement)  # its fields, in their order: key, state, remote_id, reason


def _print(output: Output, settled: list[Settlement], left: int, what: str) -> None:
    """The settlements as a table, and how many ``what`` (rows, keys) were settled."""
    from rich.table import Table

    from ._report import titled

    if not settled:
        output.out.print(f"No {what} may have been sent: nothing to settle.")
        return
    table = Table()
    for column in ("key", "now", "id", "why"):
        table.add_column(column, overflow="fold")
    for s in settled:
        table.add_row(s.key, s.state.replace("_", " "), s.remote_id or "", s.reason)
    output.out.print(*titled("Reconciled with the API", table))
    output.out.print(f"{plural(len(settled) - left, what)} settled, {left:,} still maybe sent.")
