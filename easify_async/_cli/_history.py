"""``easify sms report``, ``easify sms history`` and ``easify templates list``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ._lists import Listing, Rows
from ._options import deprecated_alias

if TYPE_CHECKING:
    from .._client import AsyncEasify

__all__ = ["history", "report", "templates"]

_RECORD_COLUMNS = ("id", "created_at", "sender", "receiver", "status", "message")


def _report(
    easify: AsyncEasify, from_date: dt.datetime, to_date: dt.datetime, **filters: str | None
) -> Rows:
    return easify.sms.report(
        from_date=from_date.date(),
        to_date=to_date.date(),
        status=filters["status"],
        sender=filters["sender"],
        receiver=filters["receiver"],
        country_code=filters["country_code"],
        order="asc" if filters["order"] == "asc" else "desc",
    )


report = Listing(
    help="Every SMS sent between two dates (ranges over 30 days take one query per 30 days).",
    call=_report,
    columns=_RECORD_COLUMNS,
    title="SMS report",
    options=(
        click.option(
            "--from-date",
            required=True,
            type=click.DateTime(["%Y-%m-%d"]),
            help="First day, YYYY-MM-DD.",
        ),
        click.option(
            "--to-date",
            required=True,
            type=click.DateTime(["%Y-%m-%d"]),
            help="Last day, YYYY-MM-DD.",
        ),
        # --from is a phone number in every other command.
        deprecated_alias("--from", "--from-date"),
        deprecated_alias("--to", "--to-date"),
        click.option("--status", help="Only this status (Delivered, Failed, ...)."),
        # --from and --to, as in `sms send`, once their deprecated use as dates has gone.
        click.option(
            "--from-number", "sender", metavar="NUMBER", help="Only from this Easify number."
        ),
        click.option(
            "--to-number",
            "receiver",
            metavar="NUMBER",
            help="Only to this number: E.164, or national with --country-code.",
        ),
        deprecated_alias("--sender", "--from-number"),
        deprecated_alias("--receiver", "--to-number"),
        click.option("--country-code", help="+1, +44 or +972, for a national --to-number."),
        click.option(
            "--order", type=click.Choice(["desc", "asc"]), default="desc", show_default=True
        ),
    ),
).command("report")

history = Listing(
    help="The conversation between one of your numbers and another, newest first.",
    call=lambda easify, sender, receiver, country_code: easify.sms.chat_history(
        sender, receiver, country_code=country_code
    ),
    columns=_RECORD_COLUMNS,
    title="Chat history",
    options=(
        click.option(
            "--from",
            "--from-number",
            "sender",
            required=True,
            metavar="NUMBER",
            help="Your Easify number.",
        ),
        click.option(
            "--to",
            "--to-number",
            "receiver",
            required=True,
            metavar="NUMBER",
            help="The other party: E.164, or national with --country-code.",
        ),
        deprecated_alias("--sender", "--from"),
        deprecated_alias("--receiver", "--to"),
        click.option("--country-code", help="+1, +44 or +972, for a national --to."),
    ),
).command("history")


@click.group()
def templates() -> None:
    """The SMS templates approved in the web app (for campaigns)."""


templates.add_command(
    Listing(
        help="List the approved SMS templates.",
        call=lambda easify: easify.sms.templates(),
        columns=("id", "group_name", "name", "message"),
        title="SMS templates",
    ).command("list")
)
