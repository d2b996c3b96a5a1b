"""``contacts``: list, create, update and delete.

A sub-user's list includes the contacts of its main user's shared groups (§3.16);
creating, changing and deleting reach its own only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from .._routes import CONTACTS, CONTACTS_CREATE, CONTACTS_DELETE, CONTACTS_UPDATE
from ._api_contact_groups import GROUP_ID_RULES, LIST_RULES, with_id
from ._phones import listed_country_code
from ._php import filter_int, php_string
from ._replies import failure, success, validation_error
from ._request import ApiRequest, list_reply, text
from ._routing import Endpoint
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
    from ._contacts_state import ContactRecord
    from ._store import SandboxState

__all__ = ["ROUTES", "contacts", "create_contact", "delete_contact", "update_contact"]

_CONTACTS_RULES: Rules = {**LIST_RULES, "group_id": [integer()]}
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
_CREATE_RULES: Rules = {**GROUP_ID_RULES, **_CONTACT_RULES}
_CONTACT_UPDATE_RULES: Rules = {"contact_id": [required(), integer()], **_CONTACT_RULES}
_CONTACT_DELETE_RULES: Rules = {"contact_id": [required(), integer()]}


def _shared_contacts(state: SandboxState, account: Account) -> list[ContactRecord]:
    """The contacts of the main user's shared groups, for a sub-user."""
    main = state.extra.main_of(account.token)
    if main is None:
        return []
    return [c for c in state.contacts.contacts_of(main) if c.group.shared_group]


def contacts(state: SandboxState, request: ApiRequest) -> Response:
    """GET contacts: newest first unless ``order=asc``, optionally one group's."""
    account, fields = request.account, request.fields
    failed = validate(_CONTACTS_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    records = [*state.contacts.contacts_of(account.token), *_shared_contacts(state, account)]
    records.sort(key=lambda r: r.id)  # ids grow with creation, across accounts
    group_id = filter_int(fields.get("group_id"))
    if group_id is not None:
        records = [r for r in records if r.group.id == group_id]
    ordered = records if text(fields, "order") == "asc" else records[::-1]
    return list_reply(request, "Contacts", [r.to_json() for r in ordered])


def create_contact(state: SandboxState, request: ApiRequest) -> Response:
    """POST contacts/create: a contact in one of the account's groups."""
    account, fields = request.account, request.fields
    failed = validate(_CREATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    now = state.wall_clock()
    group = with_id(state.contacts.groups_of(account.token, now), fields["group_id"])
    if group is None:
        return failure(400, "Invalid group id")
    record = state.contacts.add_contact(account.token, group, _contact_fields(fields), now)
    return success("Contact created successfully", record.to_json())


def update_contact(state: SandboxState, request: ApiRequest) -> Response:
    """PATCH contacts/update: change the fields sent (one sent empty is cleared); the
    others and its group stay."""
    account, fields = request.account, request.fields
    failed = validate(_CONTACT_UPDATE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    record = _contact(state.contacts.contacts_of(account.token), fields["contact_id"])
    if record is None:
        return failure(400, "Invalid contact id")
    record.fields = {
        **record.fields,
        **{k: v for k, v in _contact_fields(fields).items() if k in fields},
    }
    record.updated_at = state.wall_clock()
    return success("Contact updated successfully", record.to_json())


def delete_contact(state: SandboxState, request: ApiRequest) -> Response:
    """DELETE contacts/delete: its group stops counting it."""
    account, fields = request.account, request.fields
    failed = validate(_CONTACT_DELETE_RULES, fields)
    if failed is not None:
        return validation_error(failed)
    record = _contact(state.contacts.contacts_of(account.token), fields["contact_id"])
    if record is None:
        return failure(400, "Invalid contact id")
    state.contacts.remove_contact(account.token, record)
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


ROUTES: tuple[Endpoint, ...] = (
    Endpoint(CONTACTS, contacts),
    Endpoint(CONTACTS_CREATE, create_contact),
    Endpoint(CONTACTS_UPDATE, update_contact),
    Endpoint(CONTACTS_DELETE, delete_contact),
)
