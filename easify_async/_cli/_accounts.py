"""``easify calls list``, ``easify subusers list`` and ``easify email senders``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click

from ._lists import csv_option, print_rows
from ._options import client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._api_models import SubUser
    from .._client import AsyncEasify

__all__ = ["calls", "mask_token", "senders", "subusers"]


@click.group()
def calls() -> None:
    """Your voice-call history."""


@calls.command("list")
@click.option("--from", "from_number", metavar="NUMBER", help="Only calls from this number.")
@click.option(
    "--to", "to", multiple=True, metavar="NUMBER", help="Only calls to this number; repeatable."
)
@click.option("--from-date", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to-date", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--public-call", is_flag=True, help="Only public call records.")
@click.option("--include-subusers", is_flag=True, help="Also your sub-users' calls.")
@click.option("--order", type=click.Choice(["desc", "asc"]), default="desc", show_default=True)
@client_options
@json_option
@csv_option
@with_client
async def list_calls(
    easify: AsyncEasify,
    output: Output,
    csv_path: Path | None,
    from_number: str | None,
    to: tuple[str, ...],
    from_date: dt.datetime | None,
    to_date: dt.datetime | None,
    public_call: bool,
    include_subusers: bool,
    order: str,
) -> None:
    """List calls, newest first (--csv keeps every field, the undocumented ones too)."""
    history = easify.voice_calls.history(
        from_number=from_number,
        to=list(to) or None,
        from_date=None if from_date is None else from_date.date(),
        to_date=None if to_date is None else to_date.date(),
        public_call=True if public_call else None,
        include_subusers=True if include_subusers else None,
        order="asc" if order == "asc" else "desc",
    )
    await print_rows(
        output,
        history,
        columns=("id", "created_at", "from_number", "to_number", "status"),
        csv_path=csv_path,
        title="Voice calls",
    )


def mask_token(token: str) -> str:
    """A token with its secret part hidden: ``1087|****`` (its id stays, to tell them apart)."""
    head, bar, _ = token.partition("|")
    return f"{head}|****" if bar else "****"


async def _masked(subs: AsyncIterator[SubUser]) -> AsyncIterator[SubUser]:
    async for sub in subs:
        yield attrs.evolve(sub, easify_api_token=mask_token(sub.easify_api_token))


@click.group()
def subusers() -> None:
    """Your sub-users and their API tokens (main user only)."""


@subusers.command("list")
@click.option("--email", metavar="ADDRESS", help="Only the sub-user with this address.")
@click.option("--show-tokens", is_flag=True, help="Print the tokens in full (masked by default).")
@client_options
@json_option
@csv_option
@with_client
async def list_subusers(
    easify: AsyncEasify,
    output: Output,
    csv_path: Path | None,
    email: str | None,
    show_tokens: bool,
) -> None:
    """List the sub-users; their tokens are masked unless --show-tokens."""
    subs = aiter(easify.sub_users.list(email))
    await print_rows(
        output,
        subs if show_tokens else _masked(subs),
        columns=("email", "name", "easify_api_token"),
        csv_path=csv_path,
        title="Sub-users",
    )


@click.command()
@client_options
@json_option
@csv_option
@with_client
async def senders(easify: AsyncEasify, output: Output, csv_path: Path | None) -> None:
    """List your verified sender addresses."""
    await print_rows(
        output,
        easify.email.senders(),
        columns=("id", "from_email", "from_name"),
        csv_path=csv_path,
        title="Email senders",
    )
