"""``easify calls list``, ``easify subusers list`` and ``easify email senders``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import attrs
import click

from ._lists import Listing, Rows

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from .._models.accounts import SubUser

__all__ = ["calls", "mask_token", "senders", "subusers"]


@click.group()
def calls() -> None:
    """Your voice-call history."""


def _calls(
    easify: AsyncEasify,
    from_number: str | None,
    to: tuple[str, ...],
    from_date: dt.datetime | None,
    to_date: dt.datetime | None,
    public_call: bool,
    include_subusers: bool,
    order: str,
) -> Rows:
    return easify.voice_calls.history(
        from_number=from_number,
        to=list(to) or None,
        from_date=None if from_date is None else from_date.date(),
        to_date=None if to_date is None else to_date.date(),
        public_call=True if public_call else None,
        include_subusers=True if include_subusers else None,
        order="asc" if order == "asc" else "desc",
    )


calls.add_command(
    Listing(
        help="List calls, newest first (--csv keeps every field, the undocumented ones too).",
        call=_calls,
        columns=("id", "created_at", "from_number", "to_number", "status"),
        title="Voice calls",
        options=(
            click.option(
                "--from", "from_number", metavar="NUMBER", help="Only calls from this number."
            ),
            click.option(
                "--to",
                "to",
                multiple=True,
                metavar="NUMBER",
                help="Only calls to this number; repeatable.",
            ),
            click.option(
                "--from-date", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD."
            ),
            click.option(
                "--to-date", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD."
            ),
            click.option("--public-call", is_flag=True, help="Only public call records."),
            click.option("--include-subusers", is_flag=True, help="Also your sub-users' calls."),
            click.option(
                "--order", type=click.Choice(["desc", "asc"]), default="desc", show_default=True
            ),
        ),
    ).command("list")
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


def _subusers(easify: AsyncEasify, email: str | None, show_tokens: bool) -> Rows:
    subs = aiter(easify.sub_users.list(email))
    return subs if show_tokens else _masked(subs)


subusers.add_command(
    Listing(
        help="List the sub-users; their tokens are masked unless --show-tokens.",
        call=_subusers,
        columns=("email", "name", "easify_api_token"),
        title="Sub-users",
        options=(
            click.option("--email", metavar="ADDRESS", help="Only the sub-user with this address."),
            click.option(
                "--show-tokens", is_flag=True, help="Print the tokens in full (masked by default)."
            ),
        ),
    ).command("list")
)

senders = Listing(
    help="List your verified sender addresses.",
    call=lambda easify: easify.email.senders(),
    columns=("id", "from_email", "from_name"),
    title="Email senders",
).command("senders")
