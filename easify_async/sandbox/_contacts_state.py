"""The sandbox's contact groups, per account: each account starts with a default group."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from attrs import Factory, define, field

from ._api_state import API_TIME_FORMAT

__all__ = ["DEFAULT_GROUP_NAME", "ContactsState", "GroupRecord"]

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

    def to_json(self) -> dict[str, Any]:
        """The documented group object."""
        return {
            "id": self.id,
            "name": self.name,
            "contacts_count": self.contacts_count,
            "shared_group": False,
            "default_group": self.default_group,
            "created_at": self.created_at.strftime(API_TIME_FORMAT),
        }


@define
class ContactsState:
    """Contact groups per account token, oldest first."""

    groups: dict[str, list[GroupRecord]] = Factory(dict)
    _group_ids: itertools.count[int] = field(factory=lambda: itertools.count(1))

    def groups_of(self, token: str, now: dt.datetime) -> list[GroupRecord]:
        """The account's groups; its default group is made on first sight."""
        if token not in self.groups:
            self.groups[token] = [
                GroupRecord(next(self._group_ids), DEFAULT_GROUP_NAME, now, default_group=True)
            ]
        return self.groups[token]

    def add_group(self, token: str, name: str, now: dt.datetime) -> GroupRecord:
        """A new, empty group of the account."""
        record = GroupRecord(next(self._group_ids), name, now)
        self.groups_of(token, now).append(record)
        return record
