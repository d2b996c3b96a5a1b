"""``easify journal``: look at a bulk run's journal and settle its "maybe sent" rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import click

from ._options import client_options, json_option
from ._output import Output, plural
from ._run import ExitCode, run, with_client
from ._settled import settle_and_report

if TYPE_CHECKING:
    from .._bulk import JournalEntry
    from .._bulk._journal import State
    from .._client import AsyncEasify

__all__ = ["journal"]

_STATES = ("sent", "failed", "not_sent", "maybe_sent", "in_flight")
_FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False))


@click.group()
def journal() -> None:
    """A bulk run's journal: show its rows, settle the maybe-sent ones.

    \b
    A row is "maybe sent" (in_flight: a run was cut off mid-request) when its
    request may have reached the server without its reply coming back. Settle it
    by hand (resolve) or from what the API recorded (reconcile); then a run with
    the journal skips the rows settled sent and sends those settled not sent.
    """


@journal.command("show")
@_FILE
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(_STATES),
    help="Only rows in this state (repeat for several) [default: every row].",
)
@json_option
def show(output: Output, file: str, states: Sequence[str]) -> None:
    """List the journal FILE's rows: key, state, server id, note.

    Exit codes: 0 no row may have been sent, 7 some may have (settle them).
    """
    from .._bulk import Journal

    async def main() -> ExitCode:
        async with await Journal.open(file) as opened:
            entries = await opened.entries(states=cast("list[State]", states) or None)
            every = entries if not states else await opened.entries()
        for entry in entries:
            if output.json:
                output.emit(_entry_fields(entry))
        counts = {state: sum(e.state == state for e in every) for state in _STATES}
        if output.json:
            output.emit({"summary": counts})
        else:
            _print_entries(output, file, entries, counts)
        return ExitCode.CHECK if counts["maybe_sent"] + counts["in_flight"] else ExitCode.OK

    run(output, main)


@journal.command("resolve")
@_FILE
@click.argument("key")
# One flag pair, not two flag_value options on one name: click 8.2 let the second
# option's False stand in for "neither given".
@click.option(
    "--sent/--not-sent",
    "sent",
    default=None,
    help="The row was sent / was not sent (resend it).",
)
@click.option("--id", "remote_id", metavar="ID", help="With --sent: the server's id of it.")
@json_option
def resolve(output: Output, file: str, key: str, sent: bool | None, remote_id: str | None) -> None:
    """Settle one row (KEY) by hand: --sent [--id ID] or --not-sent.

    A row of the journal FILE settled sent is skipped by the next run with this
    journal; a row settled not sent is sent by it.
    """
    from rich.text import Text

    from .._bulk import Journal

    if sent is None:
        raise click.UsageError("say what happened to the row: --sent or --not-sent")
    if remote_id is not None and not sent:
        raise click.BadParameter("only a row sent has an id", param_hint="--id")

    async def main() -> ExitCode:
        async with await Journal.open(file) as opened:
            entry = await opened.resolve(key, sent=sent, remote_id=remote_id)
        output.result(
            _entry_fields(entry),
            Text.assemble("Row ", (key, "bold"), f": {entry.error}."),
        )
        return ExitCode.OK

    run(output, main)


@journal.command("reconcile")
@_FILE
@click.option(
    "--server-timezone",
    metavar="ZONE",
    help="The account's timezone (e.g. America/New_York), in which the API's times are "
    "given; when unknown, records up to 14 hours older than a row's attempt still count.",
)
@client_options
@json_option
@with_client
async def reconcile(
    easify: AsyncEasify, output: Output, file: str, server_timezone: str | None
) -> ExitCode:
    """Settle maybe-sent rows from what the API recorded.

    Each maybe-sent row of the journal FILE is looked up through the API: an SMS
    in the SMS report (same sender, number and text, sent
    since the row's first attempt), a contact in its group (same phone number or
    email address). Found: settled sent, with its id. Certainly absent: settled
    not sent (the next run sends it). Otherwise (found twice; an email, which the
    API cannot look up without its id) the row stays maybe sent, with the reason.
    Only reads are made, at the read limit (60/min).

    Exit codes: 0 every such row settled, 7 some still may have been sent.
    """
    from .._bulk import Journal

    return await settle_and_report(
        output,
        await Journal.open(file),
        lambda opened: opened.reconcile(easify, server_timezone=server_timezone),
        what="row",
    )


def _entry_fields(entry: JournalEntry) -> dict[str, Any]:
    attempted = None if entry.attempted_at is None else entry.attempted_at.isoformat()
    return {
        "key": entry.key,
        "state": entry.state,
        "remote_id": entry.remote_id,
        "note": entry.error,
        "attempted_at": attempted,
    }


def _print_entries(
    output: Output, file: str, entries: list[JournalEntry], counts: dict[str, int]
) -> None:
    from rich.table import Table

    from ._report import titled

    table = Table()
    for column in ("key", "state", "id", "note"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            entry.key, entry.state.replace("_", " "), entry.remote_id or "", entry.error or ""
        )
    output.out.print(*titled(f"Journal {file}: {plural(len(entries), 'row')}", table))
    listed = ", ".join(f"{n:,} {state.replace('_', ' ')}" for state, n in counts.items() if n)
    output.out.print(listed or "no rows")
    ambiguous = counts["maybe_sent"] + counts["in_flight"]
    if ambiguous:
        output.note(
            f"{plural(ambiguous, 'row')} may have been sent: settle them with "
            f"`easify journal reconcile {file}` or `easify journal resolve`.",
            whole=True,
        )
