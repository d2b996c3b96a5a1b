"""``easify groups``: list, create, rename and delete contact groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._lists import Listing
from ._options import client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from .._models.contacts import ContactGroup

# rich and the converter are imported where a command prints: its --help needs neither.

__all__ = ["groups", "order_option"]

order_option = click.option(
    "--order",
    type=click.Choice(["desc", "asc"]),
    default="desc",
    show_default=True,
    help="desc: newest first; asc: oldest first.",
)


@click.group()
def groups() -> None:
    """Your contact groups (the main user's shared group included)."""


groups.add_command(
    Listing(
        help="List the contact groups with how many contacts each holds.",
        call=lambda easify, order: easify.contact_groups.list(
            order="asc" if order == "asc" else "desc"
        ),
        columns=("id", "name", "contacts_count", "default_group", "shared_group"),
        title="Contact groups",
        options=(order_option,),
    ).command("list")
)


@groups.command("create")
@click.argument("name")
@client_options
@json_option
@with_client
async def create_group(easify: AsyncEasify, output: Output, name: str) -> None:
    """Create a contact group called NAME."""
    _print_group(output, "created", await easify.contact_groups.create(name=name))


@groups.command("rename")
@click.argument("group_id", metavar="ID", type=int)
@click.argument("name")
@client_options
@json_option
@with_client
async def rename_group(easify: AsyncEasify, output: Output, group_id: int, name: str) -> None:
    """Rename the contact group ID (from `groups list`) to NAME."""
    _print_group(output, "renamed", await easify.contact_groups.update(group_id, name=name))


@groups.command("delete")
@click.argument("group_id", metavar="ID", type=int)
@client_options
@json_option
@with_client
async def delete_group(easify: AsyncEasify, output: Output, group_id: int) -> None:
    """Delete the contact group ID (never the default group)."""
    from rich.text import Text

    await easify.contact_groups.delete(group_id)
    output.result(
        {"group_id": group_id, "deleted": True},
        Text.assemble("Group ", (str(group_id), "bold"), " deleted."),
    )


def _print_group(output: Output, done: str, group: ContactGroup) -> None:
    from rich.text import Text

    output.result(
        group,
        Text.assemble(f"Group {done}: id ", (str(group.id), "bold"), f" ({group.name})"),
    )
