"""``easify ledger``: settle an idempotency ledger's ambiguous keys."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import click

from ._options import client_options, json_option
from ._output import Output
from ._run import ExitCode, with_client
from ._settled import settle_and_report

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ..ledgers import Ledger

__all__ = ["ledger"]


@click.group()
def ledger() -> None:
    """An idempotency ledger: settle the keys whose outcome is unknown.

    \b
    A key is ambiguous when its request may have reached the server without its
    outcome being recorded (a lost reply, a claimer that died mid-request): every
    call with it fails until it is settled.
    """


def _one_ledger(command: Callable[..., None]) -> Callable[..., None]:
    """``command``, once the ledger is named by exactly one of --sqlite and --redis (a
    usage error before any client is made)."""

    @functools.wraps(command)
    def checked(**options: Any) -> None:
        if (options["path"] is None) == (options["url"] is None):
            raise click.UsageError("give the ledger: --sqlite PATH or --redis URL (one of them)")
        command(**options)

    return checked


@ledger.command("reconcile")
@click.option(
    "--sqlite",
    "path",
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False),
    help="The SQLite ledger file.",
)
@click.option("--redis", "url", metavar="URL", help="The Redis ledger's server (redis://...).")
@click.option(
    "--prefix",
    default="easify:ledger:",
    show_default=True,
    help="With --redis: the ledger's key prefix.",
)
@click.option(
    "--server-timezone",
    metavar="ZONE",
    help="The account's timezone (e.g. America/New_York), in which the API's times are "
    "given; when unknown, records up to 14 hours older than a key's attempt still count.",
)
@client_options
@json_option
@_one_ledger
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

    opened: Ledger
    if path is not None:
        from ..ledgers import SqliteLedger

        opened = SqliteLedger(path)
    else:
        from ..ledgers import RedisLedger

        opened = RedisLedger(url or "", prefix=prefix)
    return await settle_and_report(
        output,
        aclosing(opened),
        lambda store: settle_keys(store, easify, server_timezone=server_timezone),
        what="key",
    )
