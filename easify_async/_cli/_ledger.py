"""``easify ledger``: look at an idempotency ledger and settle its ambiguous keys."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import click

from ._options import client_options, json_option
from ._output import Output, plural
from ._run import ExitCode, run, with_client
from ._settled import settle_and_report

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ..ledgers import Ledger, LedgerEntry

__all__ = ["ledger"]


@click.group()
def ledger() -> None:
    """An idempotency ledger: show and settle its ambiguous keys.

    \b
    A key is ambiguous when its request may have reached the server without its
    outcome being recorded (a lost reply, a claimer that died mid-request): every
    call with it fails until it is settled, by hand (settle) or from what the API
    recorded (reconcile).
    """


def _one_ledger(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with the options naming its ledger, run once the ledger is named by
    exactly one of --sqlite and --redis (a usage error before anything is opened)."""

    @functools.wraps(command)
    def checked(**options: Any) -> None:
        if (options["path"] is None) == (options["url"] is None):
            raise click.UsageError("give the ledger: --sqlite PATH or --redis URL (one of them)")
        command(**options)

    for option in reversed(_LEDGER_OPTIONS):
        checked = option(checked)
    return checked


_LEDGER_OPTIONS = [
    click.option(
        "--sqlite",
        "path",
        metavar="PATH",
        type=click.Path(exists=True, dir_okay=False),
        help="The SQLite ledger file.",
    ),
    click.option("--redis", "url", metavar="URL", help="The Redis ledger's server (redis://...)."),
    click.option(
        "--prefix",
        default="easify:ledger:",
        show_default=True,
        help="With --redis: the ledger's key prefix.",
    ),
]


def _open(path: str | None, url: str | None, prefix: str) -> Ledger:
    """The ledger the options name (one of them is given: `_one_ledger`)."""
    if path is not None:
        from ..ledgers import SqliteLedger

        return SqliteLedger(path)
    from ..ledgers import RedisLedger

    return RedisLedger(url or "", prefix=prefix)


@ledger.command("show")
@_one_ledger
@json_option
def show(output: Output, path: str | None, url: str | None, prefix: str) -> None:
    """List the ledger's ambiguous keys: key, state, why, when attempted.

    Exit codes: 0 no key is ambiguous, 7 some are (settle them).
    """

    async def main() -> ExitCode:
        async with aclosing(_open(path, url, prefix)) as opened:
            entries = await opened.ambiguous()
        if output.json:
            for entry in entries:
                output.emit(_entry_fields(entry))
            output.emit({"summary": {"ambiguous": len(entries)}})
        else:
            _print_entries(output, entries)
        return ExitCode.CHECK if entries else ExitCode.OK

    run(output, main)


@ledger.command("settle")
@click.argument("key")
# One flag pair, as `journal resolve` has (click 8.2: see there).
@click.option(
    "--sent/--not-sent",
    "sent",
    default=None,
    help="The key's request was sent / was not sent (the next call with it sends).",
)
@click.option(
    "--id", "sms_id", metavar="ID", help="With --sent, for an SMS: its sms_id, the call's result."
)
@_one_ledger
@json_option
def settle(
    output: Output,
    key: str,
    sent: bool | None,
    sms_id: str | None,
    path: str | None,
    url: str | None,
    prefix: str,
) -> None:
    """Settle one ambiguous key (KEY) by hand: --sent [--id ID] or --not-sent.

    Settled sent, later calls with the key return the SMS's id given with --id (or,
    without one, fail saying it was sent); settled not sent, the next call sends.
    Check first (the SMS report, the contact list, the recipient): a key settled
    not sent whose request did go out is sent twice.
    """
    from rich.text import Text

    if sent is None:
        raise click.UsageError("say what happened to the key's request: --sent or --not-sent")
    if sms_id is not None and not sent:
        raise click.BadParameter("only a request sent has an id", param_hint="--id")

    async def main() -> ExitCode:
        async with aclosing(_open(path, url, prefix)) as opened:
            result = None
            if sms_id is not None:
                result = await _sms_result(opened, key, sms_id)
            entry = await opened.settle(key, sent=bool(sent), result=result)
        fields = {"key": key, "state": "completed" if entry else "forgotten"}
        said = "settled sent" if entry else "settled not sent: the next call with it sends"
        output.result(fields, Text.assemble("Key ", (key, "bold"), f": {said}."))
        return ExitCode.OK

    run(output, main)


async def _sms_result(opened: Ledger, key: str, sms_id: str) -> dict[str, Any]:
    """The result an SMS key's call gives back, from the id given by hand."""
    from .._models.sms import SmsSent
    from .._serde import to_dict
    from ..errors import JournalError

    entry = await opened.entry(key)
    if entry is not None and entry.item.get("kind") not in (None, "sms"):
        kind = entry.item["kind"]
        raise JournalError(f"--id is an SMS's id, and this key's request is not an SMS ({kind})")
    return to_dict(SmsSent(sms_id=sms_id))


def _entry_fields(entry: LedgerEntry) -> dict[str, Any]:
    attempted = None if entry.attempted_at is None else entry.attempted_at.isoformat()
    return {
        "key": entry.key,
        "state": entry.state,
        "why": _why(entry),
        "kind": entry.item.get("kind"),
        "attempted_at": attempted,
    }


def _why(entry: LedgerEntry) -> str:
    if entry.state == "in_progress":
        return f"its claimer ({entry.claimer}) died mid-request"
    error = entry.error
    return "" if error is None else f"{error.type}: {error.message}"


def _print_entries(output: Output, entries: list[LedgerEntry]) -> None:
    from rich.table import Table

    from ._report import titled

    if not entries:
        output.out.print("No key is ambiguous.")
        return
    table = Table()
    for column in ("key", "kind", "why", "attempted"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        attempted = "" if entry.attempted_at is None else f"{entry.attempted_at:%Y-%m-%d %H:%M:%S}"
        table.add_row(entry.key, entry.item.get("kind") or "", _why(entry), attempted)
    output.out.print(*titled(f"{plural(len(entries), 'ambiguous key')}", table))
    output.note(
        "Settle them with `easify ledger reconcile` or, once checked, `easify ledger settle`.",
        whole=True,
    )


@ledger.command("reconcile")
@_one_ledger
@click.option(
    "--server-timezone",
    metavar="ZONE",
    help="The account's timezone (e.g. America/New_York), in which the API's times are "
    "given; when unknown, records up to 14 hours older than a key's attempt still count.",
)
@client_options
@json_option
@with_client
async def reconcile(
    easify: AsyncEasify,
    output: Output,
    path: str | None,
    url: str | None,
    prefix: str,
    server_timezone: str | None,
) -> ExitCode:
    """Settle ambiguous keys from what the API recorded.

    Each ambiguous key of the ledger (--sqlite PATH or --redis URL) is looked up
    through the API, by the request it was claimed for: an SMS in the SMS report
    (same sender, number and text, sent since the attempt), a contact in its group.
    Found: settled sent, with it as the key's result. Certainly absent: settled not
    sent (the next call with the key sends). Otherwise (found twice; an email, which
    the API cannot look up without its id) the key is left, with the reason. Only
    reads are made.

    Exit codes: 0 every such key settled, 7 some still may have been sent.
    """
    from ..ledgers import reconcile as settle_keys

    return await settle_and_report(
        output,
        aclosing(_open(path, url, prefix)),
        lambda store: settle_keys(store, easify, server_timezone=server_timezone),
        what="key",
    )
