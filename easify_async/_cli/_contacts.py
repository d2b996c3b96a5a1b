"""``easify contacts``: list, create, update, delete, export to CSV and import from CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._groups import order_option
from ._lists import Listing, print_rows
from ._options import ClientConfig, bulk_options, client_options, json_option
from ._output import Output
from ._run import with_client

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from .._models.contacts import Contact
    from ._rows import BulkKind

F = TypeVar("F", bound=Callable[..., Any])

# The client, the converter, the models, rich and the bulk engine are imported in the
# commands' bodies: `easify contacts list --help` needs none of them.

__all__ = ["contacts"]


def _contact_kind() -> BulkKind:
    """What a `contacts import` row is."""
    from .._bulk import ContactResult, NewContact
    from .._endpoints.contacts import encode_contact_create
    from .._routes import CONTACTS_CREATE
    from ._rows import BulkKind

    return BulkKind.of(
        NewContact,
        ContactResult,
        noun="contacts",
        one="contact",
        validate=encode_contact_create,
        rate=lambda limits: limits.limit_for(CONTACTS_CREATE.bucket, CONTACTS_CREATE.limit),
        send_many=lambda easify: easify.contacts.create_many,
        verb="created",
    )


_group_option = click.option(
    "--group", "group_id", type=int, metavar="ID", help="Only the contacts of this group."
)


@click.group()
def contacts() -> None:
    """Your contacts: list, create, update, delete, export to and import from CSV."""


contacts.add_command(
    Listing(
        help="List the contacts (those of shared groups included).",
        call=lambda easify, group_id, order: easify.contacts.list(
            group_id, order="asc" if order == "asc" else "desc"
        ),
        columns=("id", "first_name", "last_name", "phone_number", "email_address"),
        title="Contacts",
        options=(_group_option, order_option),
    ).command("list")
)


_FIELD_OPTIONS = (
    click.option("--first-name", required=True, help="At most 20 characters."),
    click.option("--last-name", help="At most 20 characters."),
    click.option(
        "--phone",
        "phone_number",
        metavar="NUMBER",
        help="E.164 (+13151350000), or national with --country-code.",
    ),
    click.option("--country-code", help="+1 (US/CA) or +972 (Israel), for a national --phone."),
    click.option("--email", "email_address", metavar="ADDRESS", help="Its email address."),
    click.option("--company", help="Its company."),
    click.option("--additional-1", help="A custom field."),
    click.option("--additional-2", help="A custom field."),
    click.option("--additional-3", help="A custom field."),
)


def _field_options(command: F) -> F:
    """A contact's fields, as `create` and `update` take them."""
    decorated: Any = command
    for option in reversed(_FIELD_OPTIONS):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


@contacts.command("create")
@click.option(
    "--group", "group_id", type=int, required=True, metavar="ID", help="The group it joins."
)
@_field_options
@client_options
@json_option
@with_client
async def create_contact(easify: AsyncEasify, output: Output, **fields: Any) -> None:
    """Add a contact to a group; it needs --phone or --email (or both)."""
    _print_contact(output, "created", await easify.contacts.create(**fields))


@contacts.command("update")
@click.argument("contact_id", metavar="ID", type=int)
@_field_options
@client_options
@json_option
@with_client
async def update_contact(
    easify: AsyncEasify, output: Output, contact_id: int, **fields: Any
) -> None:
    """Replace the fields of contact ID (from `contacts list`); its group stays.

    \b
    As for `create`, it needs --first-name and --phone or --email: a field left
    out is cleared, not kept.
    """
    _print_contact(output, "updated", await easify.contacts.update(contact_id, **fields))


def _print_contact(output: Output, done: str, contact: Contact) -> None:
    from rich.text import Text

    name = " ".join(filter(None, (contact.first_name, contact.last_name)))
    output.result(
        contact,
        Text.assemble(
            f"Contact {done}: id ", (str(contact.id), "bold"), f" ({name}, {contact.group_name})"
        ),
    )


@contacts.command("delete")
@click.argument("contact_id", metavar="ID", type=int)
@client_options
@json_option
@with_client
async def delete_contact(easify: AsyncEasify, output: Output, contact_id: int) -> None:
    """Delete the contact ID (from `contacts list`)."""
    from rich.text import Text

    await easify.contacts.delete(contact_id)
    output.result(
        {"contact_id": contact_id, "deleted": True},
        Text.assemble("Contact ", (str(contact_id), "bold"), " deleted."),
    )


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
@with_client
async def export_contacts(
    easify: AsyncEasify, output: Output, csv_path: Path, group_id: int | None
) -> None:
    """Write every contact to a CSV file, page by page, oldest first."""
    from .._models.contacts import Contact

    # Oldest first: an import of the file creates them again in their order.
    await print_rows(
        output,
        easify.contacts.list(group_id, order="asc"),
        columns=(),
        csv_path=csv_path,
        title="Contacts",
        tabled=False,
        model=Contact,
    )


@contacts.command("import")
@click.option(
    "--group",
    "group_id",
    type=int,
    metavar="ID",
    help="The group every row joins (else the group_id column).",
)
@bulk_options
def import_contacts(
    output: Output,
    client: ClientConfig,
    group_id: int | None,
    key_column: str | None,
    **run_options: Any,
) -> None:
    """Create one contact per row of a CSV file at the create limit (15/min).

    \b
    Columns name the fields: first_name, and optionally last_name, phone_number
    (E.164, or national with country_code), email_address, country_code, company,
    additional_1, additional_2, additional_3; group_id unless --group. A file of
    `contacts export` reads back as it is. Each row needs a phone number or an email.

    \b
    Exit codes: 0 every row created (or done in the journal), 4 some rows failed
    or were not created, 3 stopped at a refusal no row can pass (token, plan,
    credits, sender, group), 7 some rows may have been created (check them before
    resending; wins over 3 and 4), 2 an unusable CSV file or journal, 130
    interrupted.
    """
    from ._bulk import run_bulk
    from ._rows import RowMapper

    kind = _contact_kind()
    fixed = {} if group_id is None else {"group_id": group_id}
    mapper = RowMapper(kind, fixed, {}, key_column)
    run_bulk(kind, mapper, client=client, output=output, **run_options)
