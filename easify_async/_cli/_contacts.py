"""``easify contacts``: list, create, delete, export to CSV and import from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.text import Text

from .._serde import converter
from ._groups import order_option
from ._lists import csv_option, print_rows
from ._options import ClientConfig, client_options, json_option
from ._output import Output
from ._run import ExitCode, run

__all__ = ["contacts"]

_group_option = click.option(
    "--group", "group_id", type=int, metavar="ID", help="Only the contacts of this group."
)


@click.group()
def contacts() -> None:
    """Your contacts: list, create, delete, export to and import from CSV."""


@contacts.command("list")
@_group_option
@order_option
@client_options
@json_option
@csv_option
def list_contacts(
    output: Output, client: ClientConfig, csv_path: Path | None, group_id: int | None, order: str
) -> None:
    """List the contacts (those of shared groups included)."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            await print_rows(
                output,
                easify.contacts.list(group_id, order="asc" if order == "asc" else "desc"),
                columns=("id", "first_name", "last_name", "phone_number", "email_address"),
                csv_path=csv_path,
                title="Contacts",
            )
        return ExitCode.OK

    run(output, main)


@contacts.command("create")
@click.option(
    "--group", "group_id", type=int, required=True, metavar="ID", help="The group it joins."
)
@click.option("--first-name", required=True, help="At most 20 characters.")
@click.option("--last-name", help="At most 20 characters.")
@click.option(
    "--phone",
    "phone_number",
    metavar="NUMBER",
    help="E.164 (+13151350000), or national with --country-code.",
)
@click.option("--country-code", help="+1 (US/CA) or +972 (Israel), for a national --phone.")
@click.option("--email", "email_address", metavar="ADDRESS", help="Its email address.")
@click.option("--company", help="Its company.")
@click.option("--additional-1", help="A custom field.")
@click.option("--additional-2", help="A custom field.")
@click.option("--additional-3", help="A custom field.")
@client_options
@json_option
def create_contact(output: Output, client: ClientConfig, **fields: Any) -> None:
    """Add a contact to a group; it needs --phone or --email (or both)."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            contact = await easify.contacts.create(**fields)
        name = " ".join(filter(None, (contact.first_name, contact.last_name)))
        output.result(
            converter.unstructure(contact),
            Text.assemble(
                "Contact created: id ",
                (str(contact.id), "bold"),
                f" ({name}, {contact.group_name})",
            ),
        )
        return ExitCode.OK

    run(output, main)


@contacts.command("delete")
@click.argument("contact_id", metavar="ID", type=int)
@client_options
@json_option
def delete_contact(output: Output, client: ClientConfig, contact_id: int) -> None:
    """Delete the contact ID (from `contacts list`)."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            await easify.contacts.delete(contact_id)
        output.result(
            {"contact_id": contact_id, "deleted": True},
            Text.assemble("Contact ", (str(contact_id), "bold"), " deleted."),
        )
        return ExitCode.OK

    run(output, main)


@contacts.command("export")
@_group_option
@click.option(
    "--csv",
    "csv_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The CSV file to write: every contact, all fields (`contacts import` reads it back).",
)
@client_options
@json_option
def export_contacts(
    output: Output, client: ClientConfig, csv_path: Path, group_id: int | None
) -> None:
    """Write every contact to a CSV file, page by page, oldest first."""
    easify = client.client()

    async def main() -> ExitCode:
        async with easify:
            # Oldest first: an import of the file creates them again in their order.
            await print_rows(
                output,
                easify.contacts.list(group_id, order="asc"),
                columns=(),
                csv_path=csv_path,
                title="Contacts",
                tabled=False,
            )
        return ExitCode.OK

    run(output, main)
