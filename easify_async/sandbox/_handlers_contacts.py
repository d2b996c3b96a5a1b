"""``contact-groups`` and ``contacts``: list, create, update and delete.

A sub-user's lists include its main user's shared groups and their contacts ("includes
shared groups", §3.15-§3.16); creating, changing and deleting reach its own only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from ._api_fields import list_reply, text
from ._pagination import LIMIT_RULES
from ._phones import listed_country_code
from ._php import filter_int, php_string
from ._replies import failure, field_error, success, validation_error
from ._state import Account
from ._validator import (
    Rules,
    email,
    in_,
    integer,
    max_chars,
    required,
    required_with,
    required_without,
    rule,
    string,
    validate,
)

if TYPE_CHECKING:
    from ._contacts_state import ContactRecord, GroupRecord
    from ._sandbox import Sandbox

__all__ = [
    "contacts",
    "create_contact",
    "create_group",
    "delete_contact",
    "delete_group",
    "groups",
    "update_contact",
    "update_group",
]

_TAKEN = "The name has already been taken."
_GROUPS_RULES: Rules = {"limit": LIMIT_RULES, "order": [in_("asc", "desc")]}
_NAME_RULES: Rules = {"name": [required(), string()]}
_ID_RULES: Rules = {"group_id": [required(), integer()]}
_UPDATE_RULES: Rules = {**_ID_RULES, **_NAME_RULES}
_CONTACTS_RULES: Rules = {**_GROUPS_RULES, "group_id": [integer()]}
_CONTACT_FIELDS = (
    "first_name", "last_name", "phone_number", "country_code", "email_address",
    "company", "additional_1", "additional_2", "additional_3",
)  # fmt: skip
# National digits per documented country code (contacts name only +1 and +972).
_CONTACT_COUNTRIES = {"+1": 10, "+972": 9}


def _phone_format(value: Any, fields: Mapping[str, Any]) -> bool:
    # Judged only against a listed country code: the country code's rules report the rest.
    code = listed_country_code(fields.get("country_code"), _CONTACT_COUNTRIES)
    phone = php_string(value)
    return code is None or (phone.isdigit() and len(phone) == _CONTACT_COUNTRIES[code])


# The docs' parameter order (§3.16).
_CONTACT_RULES: Rules = {
    "first_name": [required(), string(), max_chars(20)],
    "last_name": [string(), max_chars(20)],
    "email_address": [required_without("phone_number"), email()],
    "country_code": [required_with("phone_number"), in_(*_CONTACT_COUNTRIES)],
    "phone_number": [
        required_without("email_address"),
        string(),
        rule(_phone_format, "The phone number field format is invalid."),
    ],
    **{name: [string()] for name in ("company", "additional_1", "additional_2", "additional_3")},
}
_CREATE_RULES: Rules = {**_ID_RULES, **_CONTACT_RULES}
_CONTACT_UPDATE_RULES: Rules = {"contact_id": [required(), integer()], **_CONTACT_RULES}
_CONTACT_DELETE_RULES: Rules = {"contact_id": [required(), integer()]}


def groups(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET contact-groups: newest first unless ``order=asc``, one Laravel page."""
    failed = validate(_GROUPS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    now = sandbox.wall_clock()
    records = [*sandbox.contacts.groups_of(account.token, now), *_shared_groups(sandbox, account)]
    records.sort(key=lambda r: r.id)  # ids grow with creation, across accounts
    ordered = records if text(fields, "order") == "asc" else records[::-1]
    return list_reply(fields, "Contact Groups", [r.to_json() for r in ordered])


def _shared_groups(sandbox: Sandbox, account: Account) -> list[GroupRecord]:
    """The main user's shared groups, for a sub-user; none for a main user."""
    main = sandbox.extra.main_of(account.token)
    if main is None:
        return []
    return [g for g in sandbox.contacts.groups_of(main, sandbox.wall_clock()) if g.shared_group]


def _shared_contacts(sandbox: Sandbox, account: Account) -> list[ContactRecord]:
    """The contacts of the main user's shared groups, for a sub-user."""
    main = sandbox.extra.main_of(account.token)
    if main is None:
        return []
    return [c for c in sandbox.contacts.contacts_of(main) if c.group.shared_group]


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
    record = _with_id(records, fields["group_id"])
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
    failed = validate(_ID_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = sandbox.contacts.groups_of(account.token, sandbox.wall_clock())
    record = _with_id(records, fields["group_id"])
    if record is None:
        return failure(400, "Invalid group id")
    if record.default_group:
        return failure(400, "You can't delete the default contact group!")
    records.remove(record)
    return success("Contact Group deleted successfully", [])


def _with_id(records: list[GroupRecord], group_id: Any) -> GroupRecord | None:
    wanted = filter_int(group_id)
    return next((r for r in records if r.id == wanted), None)


def _named(records: list[GroupRecord], name: str) -> GroupRecord | None:
    return next((r for r in records if r.name == name), None)


def contacts(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """GET contacts: newest first unless ``order=asc``, optionally one group's."""
    failed = validate(_CONTACTS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = [*sandbox.contacts.contacts_of(account.token), *_shared_contacts(sandbox, account)]
    records.sort(key=lambda r: r.id)  # ids grow with creation, across accounts
    group_id = filter_int(fields.get("group_id"))
    if group_id is not None:
        records = [r for r in records if r.group.id == group_id]
    ordered = records if text(fields, "order") == "asc" else records[::-1]
    return list_reply(fields, "Contacts", [r.to_json() for r in ordered])


def create_contact(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """POST contacts/create: a contact in one of the account's groups."""
    failed = validate(_CREATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    now = sandbox.wall_clock()
    group = _with_id(sandbox.contacts.groups_of(account.token, now), fields["group_id"])
    if group is None:
        return failure(400, "Invalid group id")
    record = sandbox.contacts.add_contact(account.token, group, _contact_fields(fields), now)
    return success("Contact created successfully", record.to_json())


def update_contact(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """PATCH contacts/update: change the fields sent (one sent empty is cleared); the
    others and its group stay."""
    failed = validate(_CONTACT_UPDATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    record = _contact(sandbox.contacts.contacts_of(account.token), fields["contact_id"])
    if record is None:
        return failure(400, "Invalid contact id")
    record.fields = {
        **record.fields,
        **{k: v for k, v in _contact_fields(fields).items() if k in fields},
    }
    record.updated_at = sandbox.wall_clock()
    return success("Contact updated successfully", record.to_json())


def delete_contact(sandbox: Sandbox, account: Account, fields: dict[str, Any]) -> Response:
    """DELETE contacts/delete: its group stops counting it."""
    failed = validate(_CONTACT_DELETE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    record = _contact(sandbox.contacts.contacts_of(account.token), fields["contact_id"])
    if record is None:
        return failure(400, "Invalid contact id")
    sandbox.contacts.remove_contact(account.token, record)
    return success("Contact deleted successfully", [])


def _contact(records: list[ContactRecord], contact_id: Any) -> ContactRecord | None:
    wanted = filter_int(contact_id)
    return next((r for r in records if r.id == wanted), None)


def _contact_fields(fields: dict[str, Any]) -> dict[str, Any]:
    fields = {
        **fields,
        "country_code": listed_country_code(fields.get("country_code"), _CONTACT_COUNTRIES),
    }
    return {name: text(fields, name) or None for name in _CONTACT_FIELDS}
