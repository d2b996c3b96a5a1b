"""``easify campaigns``: send a campaign, watch its status, list its items."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import click

from ._lists import Listing
from ._options import client_options, deprecated_alias, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from rich.text import Text

    from .._client import AsyncEasify
    from ..models import CampaignStatusInfo

# rich and the converter are imported where a command prints: its --help needs neither.

__all__ = ["campaigns"]


@click.group()
def campaigns() -> None:
    """SMS campaigns: send one from templates and a CSV, follow it, list its messages."""


@campaigns.command()
@click.option("--name", "campaign_name", required=True, help="The campaign's name.")
@click.option(
    "--from",
    "from_numbers",
    required=True,
    multiple=True,
    metavar="NUMBER",
    help="An Easify number to send from (repeat for several).",
)
@click.option(
    "--template",
    "template_ids",
    required=True,
    multiple=True,
    type=int,
    metavar="ID",
    help="A template id from `easify templates list` (repeat for several).",
)
@click.option(
    "--recipients",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The recipients CSV (up to 10,000 rows).",
)
@click.option("--schedule-time", help="Start at 'YYYY-MM-DD HH:MM:SS' instead of now.")
@click.option(
    "--schedule-timezone", help="IANA zone of --schedule-time (the account's by default)."
)
@client_options
@json_option
@with_client
async def send(
    easify: AsyncEasify,
    output: Output,
    campaign_name: str,
    from_numbers: tuple[str, ...],
    template_ids: tuple[int, ...],
    recipients: Path,
    schedule_time: str | None,
    schedule_timezone: str | None,
) -> None:
    """Send a campaign: the templates' messages to every recipient of the CSV."""
    from rich.text import Text

    sent = await easify.campaigns.send(
        campaign_name,
        list(from_numbers),
        list(template_ids),
        recipients,
        schedule_time=schedule_time,
        schedule_timezone=schedule_timezone,
    )
    output.result(
        sent,
        Text.assemble(
            "Campaign sent: campaign_id ",
            (str(sent.campaign_id), "bold"),
            f" ({sent.valid_recipients} valid recipients, {sent.invalid_recipients} invalid)",
        ),
    )


def _summary(info: CampaignStatusInfo) -> Text:
    from rich.text import Text

    return Text.assemble(
        (f"Campaign {info.campaign_id} ", "bold"), f"{info.campaign_name!r} ", info.describe()
    )


@campaigns.command()
@click.argument("campaign_id", type=int)
@click.option(
    "--watch", is_flag=True, help="Poll until completed or cancelled, drawing the counts."
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=1.0),
    default=5.0,
    show_default=True,
    help="Seconds between polls with --watch.",
)
@deprecated_alias("--interval", "--poll-interval")  # as `sms wait` names it
@client_options
@json_option
@with_client
async def status(
    easify: AsyncEasify, output: Output, campaign_id: int, watch: bool, poll_interval: float
) -> None:
    """A campaign's status and counts (with --watch, live until it is done)."""
    info = await easify.campaigns.status(campaign_id)
    if watch and not info.status.is_final:
        info = await _watch(output, easify.campaigns.status, info, poll_interval)
    output.result(info, _summary(info))


async def _watch(
    output: Output,
    poll: Callable[[int], Awaitable[CampaignStatusInfo]],
    info: CampaignStatusInfo,
    interval: float,
) -> CampaignStatusInfo:
    """Poll until final: a progress bar on stderr, or one JSON line per poll with --json."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .._serde import to_dict

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        console=output.err,
        transient=False,
        disable=output.json,
    )

    def counts(i: CampaignStatusInfo) -> str:
        return f"success {i.success_count}  failed {i.failed_count}  hold {i.hold_count}"

    with progress:
        task = progress.add_task(
            info.status.value, total=info.total_recipients_count or None, counts=counts(info)
        )
        while not info.status.is_final:
            if output.json:
                output.emit(to_dict(info))
            progress.update(
                task, description=info.status.value, completed=info.done_count, counts=counts(info)
            )
            await anyio.sleep(interval)
            info = await poll(info.campaign_id)
        progress.update(
            task, description=info.status.value, completed=info.done_count, counts=counts(info)
        )
    return info


campaigns.add_command(
    Listing(
        help="Every recipient's message of a campaign.",
        call=lambda easify, campaign_id: easify.campaigns.items(campaign_id),
        columns=("id", "receiver", "sender", "status", "credits", "message"),
        title="Campaign {campaign_id}",
        options=(click.argument("campaign_id", type=int),),
    ).command("items")
)
