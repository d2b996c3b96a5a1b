"""The sandbox's contact groups, per account: each account starts with a default group.

A main user's group made with ``shared_group=True`` is its shared group: its sub-users'
lists show it, and its contacts, beside their own (flagged ``shared_group`` and
``shared_contact``, as the docs describe); only the main user may change it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from attrs import Factory, define, field

from ._api_state import API_TIME_FORMAT

__all__ = ["DEFAULT_GROUP_NAME", "ContactRecord", "ContactsState", "GroupRecord"]

#: The name of the group every account starts with (the web app's default group).
DEFAULT_GROUP_NAME = "Default"


@define
class GroupRecord:
    """One contact group, as ``GET contact-groups`` lists it."""

    id: int
    name: str
    created_at: dt.datetime
    default_group: bool = False
    contacts_count: int = 0
    shared_group: bool = False

    def to_json(self) -> dict[str, Any]:
        """The documented group object."""
        return {
            "id": self.id,
            "name": self.name,
            "contacts_count": self.contacts_count,
            "shared_group": self.shared_group,
            "default_group": self.default_group,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
        }


@define
class ContactRecord:
    """One contact, as ``GET contacts`` lists it; ``fields`` are the documented strings."""

    id: int
    group: GroupRecord
    fields: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        """The documented contact object (phone in E.164)."""
        phone = self.fields.get("phone_number")
        code = self.fields.get("country_code") or ""
        return {
            "id": self.id,
            "group_name": self.group.name,
            "first_name": self.fields.get("first_name"),
            "last_name": self.fields.get("last_name"),
            "phone_number": f"{code}{phone}" if phone else None,
            "email_address": self.fields.get("email_address"),
            "company": self.fields.get("company"),
            "additional_1": self.fields.get("additional_1"),
            "additional_2": self.fields.get("additional_2"),
            "additional_3": self.fields.get("additional_3"),
            "shared_contact": self.group.shared_group,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
            "updated_at": self.updated_at.strftime(API_TIME_FORMAT),
        }


@define
class ContactsState:
    """Contact groups per account token, oldest first."""

    groups: dict[str, list[GroupRecord]] = Factory(dict)
    contacts: dict[str, list[ContactRecord]] = Factory(dict)
    _contact_ids: itertools.count[int] = field(factory=lambda: itertools.count(1))
    _group_ids: itertools.count[int] = field(factory=lambda: itertools.count(1))

    def groups_of(self, token: str, now: dt.datetime) -> list[GroupRecord]:
        """The account's groups; its default group is made on first sight."""
        if token not in self.groups:
            self.groups[token] = [
                GroupRecord(next(self._group_ids), DEFAULT_GROUP_NAME, now, default_group=True)
            ]
        return self.groups[token]

    def add_group(
        self, token: str, name: str, now: dt.datetime, *, shared_group: bool = False
    ) -> GroupRecord:
        """A new, empty group of the account (a main user's shared group if asked)."""
        groups = self.groups_of(token, now)  # the default group first, with the lower id
        record = GroupRecord(next(self._group_ids), name, now, shared_group=shared_group)
        groups.append(record)
        return record

    def contacts_of(self, token: str) -> list[ContactRecord]:
        """The account's contacts, oldest first."""
        return self.contacts.setdefault(token, [])

    def add_contact(
        self, token: str, group: GroupRecord, fields: dict[str, Any], now: dt.datetime
    ) -> ContactRecord:
        """A new contact in ``group``, which counts it."""
        record = ContactRecord(next(self._contact_ids), group, fields, now, now)
        self.contacts_of(token).append(record)
        group.contacts_count += 1
        return record

    def remove_contact(self, token: str, record: ContactRecord) -> None:
        """Delete a contact; its group stops counting it."""
        self.contacts_of(token).remove(record)
        record.group.contacts_count -= 1
