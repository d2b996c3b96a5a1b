"""``easify sms``: send, status, wait, bulk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ._lazy import LazyCommand, LazyGroup
from ._options import ClientConfig, bulk_options, client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ..models import SmsStatusInfo
    from ._rows import BulkKind

# The client, the converter, rich and the bulk engine are imported in the commands'
# bodies: `easify sms send --help` needs none of them.

__all__ = ["sms"]


def _sms_kind() -> BulkKind:
    """What an `sms bulk` row is."""
    from .._bulk import SmsMessage, SmsResult
    from .._endpoints.sms import encode_sms_send
    from ._rows import BulkKind

    return BulkKind.of(
        SmsMessage,
        SmsResult,
        noun="SMS",
        one="SMS",
        validate=encode_sms_send,
        rate=lambda limits: limits.sms_send,
        send_many=lambda easify: easify.sms.send_many,
    )


# `report` and `history` live with the other list commands, in _history.py.
@click.group(
    cls=LazyGroup,
    lazy={
        "history": LazyCommand(
            "._history",
            "history",
            "The conversation between one of your numbers and another, newest first.",
        ),
        "report": LazyCommand(
            "._history",
            "report",
            "Every SMS sent between two dates (ranges over 30 days take one query per 30 days).",
        ),
    },
)
def sms() -> None:
    """Send SMS/MMS, read their delivery status, send a CSV file."""


@sms.command()
@click.option(
    "--from",
    "--from-number",
    "from_number",
    required=True,
    metavar="NUMBER",
    help="One of your Easify numbers.",
)
@click.option(
    "--to",
    "--to-number",
    "to_number",
    required=True,
    metavar="NUMBER",
    help="The recipient: E.164 (+13151350000), or national with --country-code.",
)
@click.option("--message", "-m", help="The text.")
@click.option("--country-code", help="+1, +44 or +972, for a national --to.")
@click.option("--media", help="A URL, or a file to upload: makes it an MMS.")
@click.option("--lead-id", help="Your CRM's lead id.")
@click.option("--force-send", is_flag=True, help="Send now even outside business hours.")
@client_options
@json_option
@with_client
async def send(easify: AsyncEasify, output: Output, **arguments: Any) -> None:
    """Send one SMS (or MMS, with --media)."""
    from rich.text import Text

    sent = await easify.sms.send(**arguments)
    output.result(
        sent,
        Text.assemble("SMS sent: sms_id ", (sent.sms_id, "bold"), f" ({sent.message})"),
    )


@sms.command()
@click.argument("sms_id")
@client_options
@json_option
@with_client
async def status(easify: AsyncEasify, output: Output, sms_id: str) -> None:
    """Print the delivery status of a sent SMS."""
    _print_status(output, sms_id, await easify.sms.status(sms_id))


@sms.command()
@click.argument("sms_id")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=600.0,
    show_default=True,
    help="Seconds to wait; then exit with code 6.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Seconds between status calls.",
)
@client_options
@json_option
@with_client
async def wait(
    easify: AsyncEasify, output: Output, sms_id: str, timeout: float, poll_interval: float
) -> None:
    """Wait until an SMS is delivered, undelivered or failed; print that status."""
    # Past the timeout, the SDK's WaitTimeoutError says the last status read: exit 6.
    with output.err.status(f"Waiting for the final status of {sms_id}..."):
        info = await easify.sms.wait_for_final_status(
            sms_id, timeout=timeout, poll_interval=poll_interval
        )
    _print_status(output, sms_id, info)


@sms.command()
@click.option(
    "--from",
    "--from-number",
    "from_number",
    metavar="NUMBER",
    help="Send every row from this number (else the from_number column).",
)
@click.option(
    "--message",
    "-m",
    metavar="TEMPLATE",
    help='The text for every row, with {column} filled in: "Hi {first_name}".',
)
@click.option("--country-code", help="For national to_number cells (else the country_code column).")
@click.option("--media", help="A URL or a file for every row (else the media column).")
@click.option("--force-send", is_flag=True, help="Send now even outside business hours.")
@bulk_options
def bulk(
    output: Output,
    client: ClientConfig,
    message: str | None,
    key_column: str | None,
    **options: Any,
) -> None:
    """Send one SMS per row of a CSV file at the full rate limit.

    \b
    Columns name the fields: to_number, and optionally from_number, message,
    country_code, media, lead_id, force_send. Other columns can fill templates.

    \b
    Exit codes: 0 every row sent (or done in the journal), 4 some rows failed
    or were not sent, 3 stopped at a refusal no row can pass (token, plan,
    credits, sender, group), 7 some rows may have been sent (check them before
    resending; wins over 3 and 4), 2 an unusable CSV file or journal, 130
    interrupted.
    """
    from ._bulk import run_bulk
    from ._rows import RowMapper, Template

    kind = _sms_kind()
    run_options = {
        k: options.pop(k)
        for k in ("file", "journal", "dry_run", "resend_ambiguous", "max_failures")
    }
    fixed = {k: v for k, v in options.items() if v}  # an option left out leaves the column
    templates = {} if message is None else {"message": Template.parse("--message", message)}
    mapper = RowMapper(kind, fixed, templates, key_column)
    run_bulk(kind, mapper, client=client, output=output, **run_options)


def _print_status(output: Output, sms_id: str, info: SmsStatusInfo) -> None:
    from rich.text import Text

    from .._serde import to_dict

    text = Text.assemble(f"{sms_id}: ", (info.status.value, "bold"))
    if info.remarks:
        text.append(f" ({info.remarks})")
    output.result({"sms_id": sms_id, **to_dict(info)}, text)
