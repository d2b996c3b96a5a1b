"""``easify webhook verify``: check a delivery webhook's signature and print its events."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from ._options import json_option
from ._output import Output, json_ids
from ._run import ExitCode

__all__ = ["webhook"]


@click.group()
def webhook() -> None:
    """Work with Easify's signed delivery webhooks."""


@webhook.command()
@click.option("--secret", envvar="EASIFY_WEBHOOK_SECRET", show_envvar=True, required=True,
              help="The Signature Verification Secret of your API settings.")  # fmt: skip
@click.option("--signature", required=True, help="The X-Easify-Signature header.")
# Required: the signature does not cover the timestamp, so without it the delivery's
# age cannot be checked, and "valid" would say more than was verified.
@click.option("--timestamp", required=True,
              help="The X-Easify-Timestamp header (its age is checked).")  # fmt: skip
@click.option("--tolerance", type=float, metavar="SECONDS",
              help="How far the timestamp may be from now, either way "
                   "[default: 900 for sms, 300 for email, as documented].")  # fmt: skip
@click.option("--kind", type=click.Choice(["sms", "email"]),
              help="The webhook's kind [default: email for a JSON array, else sms].")  # fmt: skip
@json_option
def verify(
    output: Output,
    secret: str,
    signature: str,
    timestamp: str,
    tolerance: float | None,
    kind: str | None,
) -> None:
    """Verify a webhook body read from stdin; print its events, or why it is refused.

    \b
    Exit code 0 for a valid webhook, 3 for a bad signature, timestamp or body,
    2 for no --timestamp, an empty secret or a tolerance that is not a number of
    seconds above 0:
      easify webhook verify --secret S --signature SIG --timestamp T < body.json
    """
    from rich.text import Text

    from .._serde import converter
    from ..errors import ArgumentError
    from ..webhooks import (
        EmailEvent,
        SmsEvent,
        WebhookVerificationError,
        verify_email_events,
        verify_sms_event,
    )
    from ..webhooks._verify import EMAIL_TOLERANCE, SMS_TOLERANCE, SigningKeys, check_tolerance

    try:
        SigningKeys.of(secret)
        if tolerance is not None:
            check_tolerance(tolerance)
    except ArgumentError as exc:
        output.error(exc)
        sys.exit(ExitCode.USAGE)
    body = sys.stdin.buffer.read()
    headers = {"X-Easify-Signature": signature, "X-Easify-Timestamp": timestamp}
    if kind is None:
        kind = "email" if body.lstrip().startswith(b"[") else "sms"
    events: Sequence[SmsEvent | EmailEvent]
    try:
        if kind == "sms":
            tolerance = SMS_TOLERANCE if tolerance is None else tolerance
            events = [verify_sms_event(body, headers, secret=secret, tolerance=tolerance)]
        else:
            tolerance = EMAIL_TOLERANCE if tolerance is None else tolerance
            events = verify_email_events(body, headers, secret=secret, tolerance=tolerance)
    except WebhookVerificationError as exc:
        output.error(exc)
        sys.exit(ExitCode.API_ERROR)
    for event in events:
        data = converter.unstructure(event)
        if output.json:
            output.emit(data)
        else:
            summary = json.dumps(json_ids(data), ensure_ascii=False, default=str)
            # One line per event, however narrow the terminal: for grep and copying.
            line = Text.assemble("valid ", (kind, "bold"), f" event: {summary}")
            output.out.print(line, soft_wrap=True)
    sys.exit(ExitCode.OK)
