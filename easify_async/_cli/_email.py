"""``easify email``: send, bulk, status."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from ._email_v3 import check_v3, needs_v3, send_v3
from ._lazy import LazyCommand, LazyGroup
from ._lists import Listing
from ._options import ClientConfig, bulk_options, client_options, deprecated_alias, json_option
from ._output import Output
from ._run import run_with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ._rows import BulkKind

# The client, the converter, rich and the bulk engine are imported in the commands'
# bodies: `easify email send --help` needs none of them.

__all__ = ["email"]


def _email_kind() -> BulkKind:
    """What an `email bulk` row is."""
    from .._bulk import EmailMessage, EmailResult
    from .._endpoints.email import encode_email_send
    from ._rows import BulkKind

    return BulkKind.of(
        EmailMessage,
        EmailResult,
        noun="emails",
        one="email",
        validate=encode_email_send,
        rate=lambda limits: limits.email_send,
        send_many=lambda easify: easify.email.send_many,
    )


def _json_object(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object")
    return data


# `senders` lives with the other account commands, in _accounts.py.
@click.group(
    cls=LazyGroup,
    lazy={"senders": LazyCommand("._accounts", "senders", "List your verified sender addresses.")},
)
def email() -> None:
    """Send emails, one or a CSV file of them; the status of one sent to several."""


_SENDER_HELP = "One of your verified sender addresses."
_from_name = click.option("--from-name", help="Overrides the sender's default name.")
_unsubscribe = click.option("--enable-unsubscribe", is_flag=True, help="Add an unsubscribe link.")
_schedule_time = click.option(
    "--schedule-time", metavar="'YYYY-MM-DD HH:MM:SS'", help="Send later, at this wall time."
)
_schedule_timezone = click.option(
    "--schedule-timezone",
    metavar="ZONE",
    help="IANA zone of --schedule-time [default: the account's].",
)


@email.command()
@click.option("--sender", "--from", "sender", required=True, metavar="ADDRESS", help=_SENDER_HELP)
@click.option(
    "--to",
    "--receiver",
    "receiver",
    required=True,
    multiple=True,
    metavar="ADDRESS",
    help="A recipient; repeat for several (sent through API v3).",
)
@click.option("--cc", multiple=True, metavar="ADDRESS", help="A CC recipient (v3); repeatable.")
@click.option("--bcc", multiple=True, metavar="ADDRESS", help="A BCC recipient (v3); repeatable.")
@click.option("--subject", required=True, help="The subject line.")
@click.option("--message", "-m", help="The body (HTML allowed).")
@click.option("--attachment", multiple=True, help="A URL or a file; repeat for several files.")
@_unsubscribe
@_schedule_time
@_schedule_timezone
@click.option(
    "--additional-data",
    callback=_json_object,
    metavar="JSON",
    help="A JSON object echoed back in the email's webhooks.",
)
@deprecated_alias("--data", "--additional-data")  # the field's name, as `email bulk`'s column
@_from_name
@client_options
@json_option
def send(
    output: Output,
    client: ClientConfig,
    sender: str,
    attachment: tuple[str, ...],
    receiver: tuple[str, ...],
    cc: tuple[str, ...],
    bcc: tuple[str, ...],
    **arguments: Any,
) -> None:
    """Send one email; several --to, or any --cc/--bcc, send it through API v3."""
    from rich.text import Text

    v3 = needs_v3(receiver, cc, bcc)
    if v3:  # checked before the client is made: a usage error wins over a missing token
        check_v3(arguments)
    files: str | list[str] | None = list(attachment) if len(attachment) > 1 else None
    if len(attachment) == 1:
        files = attachment[0]

    async def body(easify: AsyncEasify) -> None:
        if v3:
            sent = await send_v3(easify, sender, receiver, cc, bcc, files, arguments)
        else:
            sent = await easify.email.send(
                sender=sender, receiver=receiver[0], attachment=files, **arguments
            )
        output.result(
            sent,
            Text.assemble("Email sent: email_id ", (sent.email_id, "bold"), f" ({sent.message})"),
        )

    run_with_client(output, client, body)


@email.command()
@click.option(
    "--sender",
    "--from",
    "sender",
    metavar="ADDRESS",
    help=f"{_SENDER_HELP[:-1]}, for every row (else the sender column).",
)
@click.option(
    "--subject", metavar="TEMPLATE", help="The subject of every row, with {column} filled in."
)
@click.option(
    "--message",
    "-m",
    metavar="TEMPLATE",
    help='The body of every row, with {column} filled in: "<p>Hi {first_name}</p>".',
)
@click.option("--attachment", help="A URL or a file for every row (else the attachment column).")
@_unsubscribe
@_schedule_time
@_schedule_timezone
@_from_name
@bulk_options
def bulk(
    output: Output,
    client: ClientConfig,
    subject: str | None,
    message: str | None,
    key_column: str | None,
    **options: Any,
) -> None:
    """Send one email per row of a CSV file at the full rate limit.

    \b
    Columns name the fields: receiver, and optionally sender, subject, message,
    attachment, enable_unsubscribe, schedule_time, schedule_timezone,
    additional_data (a JSON object), from_name. Other columns can fill templates.

    \b
    Exit codes: 0 every row sent (or done in the journal), 4 some rows failed
    or were not sent, 3 stopped at a refusal no row can pass (token, plan,
    credits, sender, group), 7 some rows may have been sent (check them before
    resending; wins over 3 and 4), 2 an unusable CSV file or journal, 130
    interrupted.
    """
    from ._bulk import run_bulk
    from ._rows import RowMapper, Template

    kind = _email_kind()
    run_options = {
        k: options.pop(k)
        for k in ("file", "journal", "dry_run", "resend_ambiguous", "max_failures")
    }
    fixed = {k: v for k, v in options.items() if v}  # an option left out leaves the column
    templates = {
        name: Template.parse(f"--{name}", text)
        for name, text in (("subject", subject), ("message", message))
        if text is not None
    }
    mapper = RowMapper(kind, fixed, templates, key_column)
    run_bulk(kind, mapper, client=client, output=output, **run_options)


email.add_command(
    Listing(
        help="""Each recipient's status of an email sent to several (through API v3).

        \b
        EMAIL_ID is what `email send` printed for several --to, --cc or --bcc.
        """,
        call=lambda easify, email_id, receiver: easify.v3.email.status(email_id, receiver=receiver),
        columns=("receiver", "recipient_type", "status", "remarks"),
        title="Email {email_id}",
        options=(
            click.argument("email_id"),
            click.option("--receiver", metavar="ADDRESS", help="Only this recipient."),
        ),
    ).command("status")
)
