"""Contacts and contact groups."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

__all__ = ["Contact", "ContactGroup"]


@frozen(kw_only=True)
class ContactGroup:
    """A contact group of the account, or the main user's shared one (``GET contact-groups``).

    Attributes:
        id: what ``contact_groups.update``/``delete`` and ``contacts.create`` take.
        name: its name (kept as the server sends it, trailing spaces included).
        contacts_count: how many contacts it holds.
        shared_group: whether it is the main user's shared group.
        default_group: whether it is the account's default group (never deletable).
        created_at: when it was created.
    """

    id: int
    name: str
    contacts_count: int = 0
    shared_group: bool = False
    default_group: bool = False
    created_at: dt.datetime | None = None


@frozen(kw_only=True)
class Contact:
    """A contact of the account, or of the main user's shared group (``GET contacts``).

    Attributes:
        id: what ``contacts.update``/``delete`` take.
        group_name: the name of its group.
        first_name: its first name.
        last_name: its last name, if any.
        phone_number: E.164, if any.
        email_address: its address, if any.
        company: its company, if any.
        additional_1: a custom field.
        additional_2: a custom field.
        additional_3: a custom field.
        shared_contact: whether it is in the main user's shared group.
        created_at: when it was created.
        updated_at: when it last changed.
    """

    id: int
    first_name: str = ""
    group_name: str = ""
    last_name: str | None = None
    phone_number: str | None = None
    email_address: str | None = None
    company: str | None = None
    additional_1: str | None = None
    additional_2: str | None = None
    additional_3: str | None = None
    shared_contact: bool = False
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
