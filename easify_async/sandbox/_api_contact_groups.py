"""``contact-groups``: list, create, update and delete.

A sub-user's list includes its main user's shared groups ("includes shared groups",
§3.15); creating, changing and deleting reach its own only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from .._routes import (
    CONTACT_GROUPS,
    CONTACT_GROUPS_CREATE,
    CONTACT_GROUPS_DELETE,
    CONTACT_GROUPS_UPDATE,
)
from ._pagination import LIMIT_RULES
from ._php import filter_int, php_string
from ._replies import failure, success, validation_error
from ._request import ApiRequest, list_reply, text
from ._routing import Endpoint
from ._state import Account
from ._validator import (
    Rules,
    in_,
    integer,
    required,
    rule,
    string,
    validate,
)

if TYPE_CHECKING:
    from ._contacts_state import GroupRecord
    from ._store import SandboxState

__all__ = [
    "GROUP_ID_RULES",
    "LIST_RULES",
    "ROUTES",
    "create_group",
    "delete_group",
    "groups",
    "update_group",
    "with_id",
]

_TAKEN = "The name has already been taken."
LIST_RULES: Rules = {"limit": LIMIT_RULES, "order": [in_("asc", "desc")]}
GROUP_ID_RULES: Rules = {"group_id": [required(), integer()]}


def _name_rules(records: list[GroupRecord], own: GroupRecord | None = None) -> Rules:
    """``required|string|unique`` among the account's groups (``own`` may keep its name)."""

    def unique(value: Any, _: object) -> bool:
        other = _named(records, php_string(value).strip())
        return other is None or other is own

    return {"name": [required(), string(), rule(unique, _TAKEN)]}


def groups(state: SandboxState, request: ApiRequest) -> Response:
    """GET contact-groups: newest first unless ``order=asc``, one Laravel page."""
    account, fields = request.account, request.fields
    failed = validate(LIST_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    now = state.wall_clock()
    records = [*state.contacts.groups_of(account.token, now), *_shared_groups(state, account)]
    records.sort(key=lambda r: r.id)  # ids grow with creation, across accounts
    ordered = records if text(fields, "order") == "asc" else records[::-1]
    return list_reply(request, "Contact Groups", [r.to_json() for r in ordered])


def _shared_groups(state: SandboxState, account: Account) -> list[GroupRecord]:
    """The main user's shared groups, for a sub-user; none for a main user."""
    main = state.extra.main_of(account.token)
    if main is None:
        return []
    return [g for g in state.contacts.groups_of(main, state.wall_clock()) if g.shared_group]


def create_group(state: SandboxState, request: ApiRequest) -> Response:
    """POST contact-groups/create: a new group; 422 for a name the account already has."""
    account, fields = request.account, request.fields
    now = state.wall_clock()
    failed = validate(_name_rules(state.contacts.groups_of(account.token, now)), fields)
    if failed is not None:
        return validation_error(failed)
    record = state.contacts.add_group(account.token, text(fields, "name"), now)
    return success("Contact Group created successfully", record.to_json())


def update_group(state: SandboxState, request: ApiRequest) -> Response:
    """PATCH contact-groups/update: rename a group of the account."""
    account, fields = request.account, request.fields
    records = state.contacts.groups_of(account.token, state.wall_clock())
    record = with_id(records, fields.get("group_id"))
    failed = validate({**GROUP_ID_RULES, **_name_rules(records, record)}, fields)
    if failed is not None:
        return validation_error(failed)
    if record is None:
        return failure(400, "Invalid group id")
    record.name = text(fields, "name")
    return success("Contact Group updated successfully", record.to_json())


def delete_group(state: SandboxState, request: ApiRequest) -> Response:
    """DELETE contact-groups/delete: never the default group."""
    account, fields = request.account, request.fields
    failed = validate(GROUP_ID_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = state.contacts.groups_of(account.token, state.wall_clock())
    record = with_id(records, fields["group_id"])
    if record is None:
        return failure(400, "Invalid group id")
    if record.default_group:
        return failure(400, "You can't delete the default contact group!")
    records.remove(record)
    return success("Contact Group deleted successfully", [])


def with_id(records: list[GroupRecord], group_id: Any) -> GroupRecord | None:
    wanted = filter_int(group_id)
    return next((r for r in records if r.id == wanted), None)


def _named(records: list[GroupRecord], name: str) -> GroupRecord | None:
    return next((r for r in records if r.name == name), None)


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(CONTACT_GROUPS, groups),
    Endpoint(CONTACT_GROUPS_CREATE, create_group),
    Endpoint(CONTACT_GROUPS_UPDATE, update_group),
    Endpoint(CONTACT_GROUPS_DELETE, delete_group),
)
