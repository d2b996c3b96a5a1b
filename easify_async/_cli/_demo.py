"""``easify demo``: a whole run against an in-process sandbox, with no token and no network."""

from __future__ import annotations

from typing import Any

import anyio
import click
from attrs import Factory, define

from .._rate_limits import RateLimits
from ._options import deprecated_alias, json_option
from ._output import Output
from ._run import ExitCode, run

__all__ = ["demo"]


@define
class _Received:
    """What the demo's webhook endpoint saw."""

    sms: int = 0
    email: int = 0
    delivered: int = 0
    refused: int = 0
    seen: set[str] = Factory(set)


@click.command()
@click.option("--sms", "sms_count", type=click.IntRange(1, 500), default=40, show_default=True,
              help="SMS to bulk-send.")  # fmt: skip
@click.option(
    "--emails", "email_count", type=click.IntRange(0, 100), default=5, show_default=True,
    help="Emails to bulk-send.",
)  # fmt: skip
@click.option(
    "--rate-period", "period", type=click.FloatRange(0.1, 60), default=2.0, show_default=True,
    help="Seconds of the sandbox's rate-limit window (60 on the real service).",
)  # fmt: skip
@deprecated_alias("--period", "--rate-period")  # the clients' name for the window
@json_option
def demo(output: Output, sms_count: int, email_count: int, period: float) -> None:
    """Bulk-send through the real client to an in-process sandbox; receive its webhooks.

    Needs no token and no network: the sandbox runs in this process with a short
    rate-limit window, and its signed webhooks come back to a local endpoint on
    127.0.0.1 where they are verified.
    """
    run(output, lambda: _demo(output, sms_count, email_count, period))


async def _demo(output: Output, sms_count: int, email_count: int, period: float) -> ExitCode:
    from .. import AsyncEasify
    from ..bulk import EmailMessage, Outcome, SmsMessage, describe_eta
    from ..sandbox import DEMO_FROM_NUMBER, DEMO_SENDER, DEMO_TOKEN, Sandbox
    from ..sandbox._server import serve_asgi
    from ._report import BulkReport, per_period

    sandbox = Sandbox(period=period)
    received = _Received()
    limits = RateLimits().scaled(period / 60.0)
    account = sandbox.account()
    async with serve_asgi(_receiver(account.webhook_secret, received)) as origin:
        account.sms_webhook_url = f"{origin}/easify/sms"
        account.email_webhook_url = f"{origin}/easify/email"
        async with (
            sandbox,
            AsyncEasify(DEMO_TOKEN, transport=sandbox.transport(), rate_limits=limits) as easify,
        ):
            output.note(f"Sandbox: {per_period(limits.sms_send)} SMS, webhooks to {origin}")
            output.note(describe_eta(sms_count, limits.sms_send, noun="SMS", margin=limits.margin))
            sms_items = [
                SmsMessage(from_number=DEMO_FROM_NUMBER, to_number=f"+1315135{n:04d}",
                           message=f"Hello #{n} from easify demo", key=f"sms-{n}")
                for n in range(sms_count)
            ]  # fmt: skip
            report = BulkReport(
                output, "SMS", "SMS", "sms_id", sms_count, limits.sms_send, limits.margin, None
            )
            with report:
                async for result in easify.sms.send_many(sms_items, on_progress=report.on_progress):
                    report.add(result.key, result.outcome, result.sms_id, result.error)
            email_items = [
                EmailMessage(
                    sender=DEMO_SENDER,
                    receiver=f"user{n}@example.com",
                    subject="Hello",
                    message="<p>Hi from easify demo</p>",
                    additional_data={"n": n},
                    key=f"email-{n}",
                )
                for n in range(email_count)
            ]
            emails = BulkReport(
                output, "email", "emails", "email_id", email_count, limits.email_send,
                limits.margin, None,
            )  # fmt: skip
            with emails:
                async for sent in easify.email.send_many(email_items):
                    emails.add(sent.key, sent.outcome, sent.email_id, sent.error)
            emails_sent = emails.counts[Outcome.SENT]
            expected = report.counts[Outcome.SENT] + 2 * emails_sent  # processed + delivered
            with anyio.move_on_after(10):
                # The endpoint runs in uvicorn's thread: polling is what crosses threads.
                while received.sms + received.email + received.refused < expected:  # noqa: ASYNC110
                    await anyio.sleep(0.02)
    share = report.share
    summary: dict[str, Any] = {
        "sms_sent": report.counts[Outcome.SENT],
        "emails_sent": emails_sent,
        "delivered": received.delivered,
        "webhook_events_verified": received.sms + received.email,
        "webhook_events_refused": received.refused,
        "rate_limited_429s": sandbox.rejected_requests,
        "achieved_rate_vs_limit": None if share is None else round(share, 3),
    }
    _print(output, summary, limits, share)
    ok = (
        summary["sms_sent"] == sms_count
        and summary["emails_sent"] == email_count
        and received.refused == 0
        and sandbox.rejected_requests == 0
        and summary["webhook_events_verified"] == expected
    )
    return ExitCode.OK if ok else ExitCode.PARTIAL


def _receiver(secret: str, received: _Received) -> Any:
    """A Starlette app that verifies the sandbox's webhooks as a user's endpoint would."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from ..models import SmsStatus
    from ..webhooks import WebhookVerificationError, verify_email_events, verify_sms_event

    async def sms(request: Request) -> Response:
        try:
            event = verify_sms_event(await request.body(), request.headers, secret=secret)
        except WebhookVerificationError:
            received.refused += 1
            return Response(status_code=401)
        received.sms += 1
        received.delivered += event.status is SmsStatus.DELIVERED
        return Response()

    async def email(request: Request) -> Response:
        try:
            events = verify_email_events(await request.body(), request.headers, secret=secret)
        except WebhookVerificationError:
            received.refused += 1
            return Response(status_code=401)
        received.email += len(events)
        received.delivered += sum(e.event == "delivered" for e in events)
        return Response()

    return Starlette(routes=[Route("/easify/sms", sms, methods=["POST"]),
                             Route("/easify/email", email, methods=["POST"])])  # fmt: skip


def _print(
    output: Output, summary: dict[str, Any], limits: RateLimits, share: float | None
) -> None:
    if output.json:
        output.emit({"summary": summary})
        return
    from rich.table import Table

    from ._report import per_period, titled

    table = Table()
    table.add_column("what")
    table.add_column("value", justify="right")
    rows = [
        ("SMS sent", summary["sms_sent"]),
        ("emails sent", summary["emails_sent"]),
        ("delivered (from webhooks)", summary["delivered"]),
        ("webhook events verified", summary["webhook_events_verified"]),
        ("webhook events refused", summary["webhook_events_refused"]),
        ("429s seen", summary["rate_limited_429s"]),
        (
            f"SMS rate vs the limit ({per_period(limits.sms_send)})",
            "-" if share is None else f"{share:.0%}",  # as the bar wrote it, not rounded twice
        ),
    ]
    for what, value in rows:
        table.add_row(what, str(value))
    output.out.print(*titled("easify demo", table))
