"""``easify sms report``, ``easify sms history`` and ``easify templates list``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._lists import csv_option, print_rows
from ._options import client_options, deprecated_alias, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify

__all__ = ["history", "report", "templates"]

_RECORD_COLUMNS = ("id", "created_at", "sender", "receiver", "status", "message")


@click.command()
@click.option(
    "--from-date",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day, YYYY-MM-DD.",
)
@click.option(
    "--to-date",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day, YYYY-MM-DD.",
)
@deprecated_alias("--from", "--from-date")  # --from is a phone number in every other command
@deprecated_alias("--to", "--to-date")
@click.option("--status", help="Only this status (Delivered, Failed, ...).")
# --from and --to, as in `sms send`, once their deprecated use as dates has gone.
@click.option("--from-number", "sender", metavar="NUMBER", help="Only from this Easify number.")
@click.option(
    "--to-number",
    "receiver",
    metavar="NUMBER",
    help="Only to this number: E.164, or national with --country-code.",
)
@deprecated_alias("--sender", "--from-number")
@deprecated_alias("--receiver", "--to-number")
@click.option("--country-code", help="+1, +44 or +972, for a national --to-number.")
@click.option("--order", type=click.Choice(["desc", "asc"]), default="desc", show_default=True)
@client_options
@json_option
@csv_option
@with_client
async def report(
    easify: AsyncEasify,
    output: Output,
    csv_path: Path | None,
    from_date: dt.datetime,
    to_date: dt.datetime,
    **filters: str | None,
) -> None:
    """Every SMS sent between two dates (ranges over 30 days take one query per 30 days)."""
    records = easify.sms.report(
        from_date=from_date.date(),
        to_date=to_date.date(),
        status=filters["status"],
        sender=filters["sender"],
        receiver=filters["receiver"],
        country_code=filters["country_code"],
        order="asc" if filters["order"] == "asc" else "desc",
    )
    await print_rows(
        output, records, columns=_RECORD_COLUMNS, csv_path=csv_path, title="SMS report"
    )


@click.command()
@click.option(
    "--from", "--from-number", "sender", required=True, metavar="NUMBER", help="Your Easify number."
)
@click.option(
    "--to",
    "--to-number",
    "receiver",
    required=True,
    metavar="NUMBER",
    help="The other party: E.164, or national with --country-code.",
)
@deprecated_alias("--sender", "--from")
@deprecated_alias("--receiver", "--to")
@click.option("--country-code", help="+1, +44 or +972, for a national --to.")
@client_options
@json_option
@csv_option
@with_client
async def history(
    easify: AsyncEasify,
    output: Output,
    csv_path: Path | None,
    sender: str,
    receiver: str,
    country_code: str | None,
) -> None:
    """The conversation between one of your numbers and another, newest first."""
    messages = easify.sms.chat_history(sender, receiver, country_code=country_code)
    await print_rows(
        output, messages, columns=_RECORD_COLUMNS, csv_path=csv_path, title="Chat history"
    )


@click.group()
def templates() -> None:
    """The SMS templates approved in the web app (for campaigns)."""


@templates.command("list")
@client_options
@json_option
@csv_option
@with_client
async def list_templates(easify: AsyncEasify, output: Output, csv_path: Path | None) -> None:
    """List the approved SMS templates."""
    await print_rows(
        output,
        easify.sms.templates(),
        columns=("id", "group_name", "name", "message"),
        csv_path=csv_path,
        title="SMS templates",
    )
