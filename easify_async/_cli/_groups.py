"""``easify groups``: list, create, rename and delete contact groups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._lists import csv_option, print_rows
from ._options import ClientConfig, client_options, json_option
from ._output import Output
from ._run import ExitCode, run

if TYPE_CHECKING:
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


@groups.command("list")
@order_option
@client_options
@json_option
@csv_option
def list_groups(output: Output, client: ClientConfig, csv_path: Path | None, order: str) -> None:
    """List the contact groups with how many contacts each holds."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            await print_rows(
                output,
                easify.contact_groups.list(order="asc" if order == "asc" else "desc"),
                columns=("id", "name", "contacts_count", "default_group", "shared_group"),
                csv_path=csv_path,
                title="Contact groups",
            )
        return ExitCode.OK

    run(output, main)


@groups.command("create")
@click.argument("name")
@client_options
@json_option
def create_group(output: Output, client: ClientConfig, name: str) -> None:
    """Create a contact group called NAME."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            group = await easify.contact_groups.create(name=name)
        _print_group(output, "created", group)
        return ExitCode.OK

    run(output, main)


@groups.command("rename")
@click.argument("group_id", metavar="ID", type=int)
@click.argument("name")
@client_options
@json_option
def rename_group(output: Output, client: ClientConfig, group_id: int, name: str) -> None:
    """Rename the contact group ID (from `groups list`) to NAME."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            group = await easify.contact_groups.update(group_id, name=name)
        _print_group(output, "renamed", group)
        return ExitCode.OK

    run(output, main)


@groups.command("delete")
@click.argument("group_id", metavar="ID", type=int)
@client_options
@json_option
def delete_group(output: Output, client: ClientConfig, group_id: int) -> None:
    """Delete the contact group ID (never the default group)."""
    from rich.text import Text

    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            await easify.contact_groups.delete(group_id)
        output.result(
            {"group_id": group_id, "deleted": True},
            Text.assemble("Group ", (str(group_id), "bold"), " deleted."),
        )
        return ExitCode.OK

    run(output, main)


def _print_group(output: Output, done: str, group: ContactGroup) -> None:
    from rich.text import Text

    from .._serde import converter

    output.result(
        converter.unstructure(group),
        Text.assemble(f"Group {done}: id ", (str(group.id), "bold"), f" ({group.name})"),
    )
