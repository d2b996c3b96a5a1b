"""``easify webhook verify``: check a delivery webhook's signature and print its events."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence

import click
from rich.text import Text

from .._serde import converter
from ._options import json_option
from ._output import Output
from ._run import ExitCode

__all__ = ["webhook"]


@click.group()
def webhook() -> None:
    """Work with Easify's signed delivery webhooks."""


@webhook.command()
@click.option("--secret", envvar="EASIFY_WEBHOOK_SECRET", show_envvar=True, required=True,
              help="The Signature Verification Secret of your API settings.")  # fmt: skip
@click.option("--signature", required=True, help="The X-Easify-Signature header.")
@click.option("--timestamp", help="The X-Easify-Timestamp header [default: now].")
@click.option("--kind", type=click.Choice(["sms", "email"]),
              help="The webhook's kind [default: email for a JSON array, else sms].")  # fmt: skip
@json_option
def verify(
    output: Output, secret: str, signature: str, timestamp: str | None, kind: str | None
) -> None:
    """Verify a webhook body read from stdin; print its events, or why it is refused.

    \b
    Exit code 0 for a valid webhook, 3 for a bad signature, timestamp or body:
      easify webhook verify --secret S --signature SIG --timestamp T < body.json
    """
    from ..webhooks import (
        EmailEvent,
        SmsEvent,
        WebhookVerificationError,
        verify_email_events,
        verify_sms_event,
    )

    body = sys.stdin.buffer.read()
    headers = {
        "X-Easify-Signature": signature,
        "X-Easify-Timestamp": timestamp or str(int(time.time())),
    }
    if kind is None:
        kind = "email" if body.lstrip().startswith(b"[") else "sms"
    events: Sequence[SmsEvent | EmailEvent]
    try:
        if kind == "sms":
            events = [verify_sms_event(body, headers, secret=secret)]
        else:
            events = verify_email_events(body, headers, secret=secret)
    except WebhookVerificationError as exc:
        output.error(exc)
        sys.exit(ExitCode.API_ERROR)
    for event in events:
        data = converter.unstructure(event)
        summary = json.dumps(data, ensure_ascii=False, default=str)
        output.result(data, Text.assemble("valid ", (kind, "bold"), f" event: {summary}"))
    sys.exit(ExitCode.OK)
