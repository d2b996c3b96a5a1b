"""``easify numbers``: list the account's numbers, set a number's incoming-SMS webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._lists import Listing
from ._options import client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify

__all__ = ["numbers"]


@click.group()
def numbers() -> None:
    """Your Easify numbers and their incoming-SMS webhooks."""


numbers.add_command(
    Listing(
        help="List the account's active, approved numbers.",
        call=lambda easify: easify.phone_numbers.list(),
        columns=("id", "number", "name", "gateway", "status", "webhook_url"),
        title="Phone numbers",
    ).command("list")
)


@numbers.command("set-webhook")
@click.argument("phone_number_id", type=int)
@click.argument("webhook_url")
@client_options
@json_option
@with_client
async def set_webhook(
    easify: AsyncEasify, output: Output, phone_number_id: int, webhook_url: str
) -> None:
    """Post the SMS that reach PHONE_NUMBER_ID (from `numbers list`) to WEBHOOK_URL."""
    from rich.text import Text

    number = await easify.phone_numbers.update_webhook(phone_number_id, webhook_url=webhook_url)
    output.result(
        number,
        Text.assemble("Webhook of ", (number.number, "bold"), f" set to {number.webhook_url}"),
    )
