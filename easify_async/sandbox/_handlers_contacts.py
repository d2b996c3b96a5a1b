"""``contact-groups``, ``contact-groups/create``, ``/update`` and ``/delete``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._replies import failure, field_error, success, validation_error
from ._state import Account
from ._validator import Rules, in_, integer, required, string, validate

if TYPE_CHECKING:
    from ._contacts_state import GroupRecord
    from ._sandbox import Sandbox

__all__ = ["create_group", "delete_group", "groups", "update_group"]

_TAKEN = "The name has already been taken."
_LIST_RULES: Rules = {"order": [in_("asc", "desc")]}
_NAME_RULES: Rules = {"name": [required(), string()]}
_UPDATE_RULES: Rules = {"group_id": [required(), integer()], "name": [required(), string()]}


def groups(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET contact-groups: newest first unless ``order=asc``, one Laravel page."""
    failed = validate(_LIST_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = sandbox.contacts.groups_of(account.token, sandbox.wall_clock())
    ordered = records if text(fields, "order") == "asc" else records[::-1]
    return list_reply(fields, "Contact Groups", [r.to_json() for r in ordered])


def create_group(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST contact-groups/create: a new group; 422 for a name the account already has."""
    failed = validate(_NAME_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    now = sandbox.wall_clock()
    name = text(fields, "name")
    if _named(sandbox.contacts.groups_of(account.token, now), name) is not None:
        return field_error("name", _TAKEN)
    record = sandbox.contacts.add_group(account.token, name, now)
    return success("Contact Group created successfully", record.to_json())


def update_group(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """PATCH contact-groups/update: rename a group of the account."""
    failed = validate(_UPDATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = sandbox.contacts.groups_of(account.token, sandbox.wall_clock())
    record = _with_id(records, text(fields, "group_id"))
    name = text(fields, "name")
    if record is None:
        return failure(400, "Invalid group id")
    other = _named(records, name)
    if other is not None and other is not record:
        return field_error("name", _TAKEN)
    record.name = name
    return success("Contact Group updated successfully", record.to_json())


def delete_group(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """DELETE contact-groups/delete: never the default group."""
    group_id = text(fields, "group_id")
    if not group_id:
        return field_error("group_id", "The group id field is required.")
    records = sandbox.contacts.groups_of(account.token, sandbox.wall_clock())
    record = _with_id(records, group_id)
    if record is None:
        return failure(400, "Invalid group id")
    if record.default_group:
        return failure(400, "You can't delete the default contact group!")
    records.remove(record)
    return success("Contact Group deleted successfully", [])


def _with_id(records: list[GroupRecord], group_id: str) -> GroupRecord | None:
    return next((r for r in records if str(r.id) == group_id), None)


def _named(records: list[GroupRecord], name: str) -> GroupRecord | None:
    return next((r for r in records if r.name == name), None)
