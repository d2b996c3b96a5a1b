"""`easify groups ...` and `easify contacts ...` through the real entry point at 80 columns,
against the sandbox served on 127.0.0.1."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.cli._run import easify
from tests.cli._server import TOKEN, Ledger

DEFAULT_GROUP_ID = 1  # every sandbox account starts with its default group, id 1


@pytest.fixture
def env(api_env: dict[str, str]) -> dict[str, str]:
    """The sandbox's environment, on a terminal 80 columns wide."""
    return {**api_env, "COLUMNS": "80"}


def fits(text: str) -> bool:
    """Whether every line fits the 80-column terminal."""
    return all(len(line) <= 80 for line in text.splitlines())


def words(text: str) -> str:
    """``text`` on one line: a note with a long path wraps at 80 columns."""
    return " ".join(text.split())


def test_groups_create_rename_list_and_delete(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Each command says what it did; the list shows the counts; the sandbox agrees."""
    created = easify("groups", "create", "VIP", env=env)
    assert (created.code, created.out, created.err) == (0, "Group created: id 2 (VIP)\n", "")
    renamed = easify("groups", "rename", "2", "VIPs", "--json", env=env)
    assert renamed.code == 0, renamed.err
    [group] = renamed.lines
    assert (group["id"], group["name"], group["default_group"]) == (2, "VIPs", False)
    table = easify("groups", "list", "--order", "asc", env=env)
    assert table.code == 0, table.err
    assert fits(table.out)
    assert table.out.index("Default") < table.out.index("VIPs")
    out = tmp_path / "groups.csv"
    listed = easify("groups", "list", "--json", "--csv", str(out), env=env)
    assert [(g["name"], g["contacts_count"]) for g in listed.lines] == [("VIPs", 0), ("Default", 0)]
    assert words(listed.err) == f"2 rows written to {out}"
    with out.open() as file:
        assert [row["name"] for row in csv.DictReader(file)] == ["VIPs", "Default"]
    deleted = easify("groups", "delete", "2", env=env)
    assert (deleted.code, deleted.out) == (0, "Group 2 deleted.\n")
    assert ledger.groups == {"Default": 0}


def test_deleting_the_default_group_is_refused_with_exit_3(
    env: dict[str, str], ledger: Ledger
) -> None:
    """The server's typed 400 in one line on stderr (in JSON on stdout with --json)."""
    done = easify("groups", "delete", str(DEFAULT_GROUP_ID), env=env)
    assert done.code == 3
    assert done.out == ""
    assert done.err == (
        "error: HTTP 400: You can't delete the default contact group! (DefaultGroupError)\n"
    )
    as_json = easify("groups", "delete", str(DEFAULT_GROUP_ID), "--json", env=env)
    assert as_json.code == 3
    [line] = as_json.lines
    assert (line["error"]["type"], line["error"]["status_code"]) == ("DefaultGroupError", 400)
    assert ledger.groups == {"Default": 0}


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("groups", "delete", "99"), "HTTP 400: Invalid group id (InvalidGroupError)"),
        (("groups", "rename", "99", "X"), "HTTP 400: Invalid group id (InvalidGroupError)"),
        (("contacts", "delete", "99"), "HTTP 400: Invalid contact id (InvalidContactError)"),
        (
            (
                "contacts",
                "create",
                "--group",
                "99",
                "--first-name",
                "Ann",
                "--email",
                "a@x.example",
            ),
            "HTTP 400: Invalid group id (InvalidGroupError)",
        ),
    ],
    ids=["delete-group", "rename-group", "delete-contact", "create-in-group"],
)
def test_an_unknown_id_is_the_typed_400_with_exit_3(
    env: dict[str, str], ledger: Ledger, args: tuple[str, ...], error: str
) -> None:
    """An id the account does not have: the server's 400, typed, in one line."""
    done = easify(*args, env=env)
    assert (done.code, done.out, done.err) == (3, "", f"error: {error}\n")
    assert ledger.contacts == []


def test_a_taken_group_name_is_a_validation_error(env: dict[str, str], ledger: Ledger) -> None:
    """The 422's field error is shown with the message; nothing new is created."""
    assert easify("groups", "create", "VIP", env=env).code == 0
    done = easify("groups", "create", "VIP", env=env)
    assert done.code == 3
    assert "[name: The name has already been taken.] (ValidationError)" in done.err
    assert ledger.groups == {"Default": 0, "VIP": 0}


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("groups", "delete", "0"), 3, "group_id: must be a positive integer id, got 0"),
        (("groups", "delete", "abc"), 2, "'abc' is not a valid integer"),
        (("groups", "create", " "), 3, "name: must be a non-empty string"),
        (("contacts", "create", "--group", "1", "--first-name", "Ann"), 3, "a phone number or"),
        (
            ("contacts", "create", "--group", "1", "--first-name", "A" * 21, "--email", "a@x.io"),
            3,
            "first_name: must be at most 20 characters",
        ),
        (
            (
                "contacts",
                "create",
                "--group",
                "1",
                "--first-name",
                "Ann",
                "--phone",
                "+447700900123",
            ),
            3,
            "(UnsupportedCountryError)",
        ),
        (("contacts", "create", "--group", "1", "--email", "a@x.io"), 2, "--first-name"),
        (("contacts", "delete", "-5"), 2, "No such option '-5'"),
    ],
    ids=[
        "zero-id",
        "text-id",
        "blank-name",
        "no-phone-or-email",
        "long-name",
        "uk-phone",
        "no-first-name",
        "negative-id",
    ],
)
def test_argument_errors_create_nothing(
    env: dict[str, str], ledger: Ledger, args: tuple[str, ...], code: int, error: str
) -> None:
    """Refused before any request: exit 3 (the SDK's check) or 2 (click's), nothing created."""
    done = easify(*args, env=env)
    assert done.code == code
    assert error in done.err
    assert done.out == ""
    assert ledger.groups == {"Default": 0}
    assert ledger.contacts == []


def test_contacts_create_list_and_delete(env: dict[str, str], ledger: Ledger) -> None:
    """Create by E.164 and national phone, list newest first or one group's, delete one."""
    assert easify("groups", "create", "VIP", env=env).code == 0
    ann = easify(
        "contacts", "create", "--group", "2", "--first-name", "Ann", "--last-name", "Lee",
        "--phone", "+13151350001", "--email", "ann@x.example", "--company", "Acme",
        "--additional-2", "gold", env=env,
    )  # fmt: skip
    assert (ann.code, ann.out, ann.err) == (0, "Contact created: id 1 (Ann Lee, VIP)\n", "")
    bob = easify(
        "contacts", "create", "--group", "1", "--first-name", "Bob",
        "--phone", "3151350002", "--country-code", "+1", "--json", env=env,
    )  # fmt: skip
    assert bob.code == 0, bob.err
    [made] = bob.lines
    assert (made["id"], made["phone_number"], made["group_name"]) == (2, "+13151350002", "Default")
    table = easify("contacts", "list", env=env)
    assert table.code == 0, table.err
    assert fits(table.out)
    assert table.out.index("Bob") < table.out.index("Ann")
    assert "ann@x.example" in table.out
    in_vip = easify("contacts", "list", "--group", "2", "--json", env=env).lines
    assert [(c["first_name"], c["company"], c["additional_2"]) for c in in_vip] == [
        ("Ann", "Acme", "gold")
    ]
    deleted = easify("contacts", "delete", "1", env=env)
    assert (deleted.code, deleted.out) == (0, "Contact 1 deleted.\n")
    assert [c["first_name"] for c in ledger.contacts] == ["Bob"]
    assert ledger.groups == {"Default": 1, "VIP": 0}


def test_an_empty_list_says_so(env: dict[str, str]) -> None:
    """No contacts: one line for people, nothing on stdout with --json."""
    done = easify("contacts", "list", env=env)
    assert (done.code, done.out) == (0, "Contacts: none.\n")
    assert easify("contacts", "list", "--json", env=env).out == ""


def test_export_writes_every_contact_all_fields(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Oldest first, over several pages, every field; stdout stays empty, the count on stderr."""
    contacts = ledger.sandbox.contacts
    now = ledger.sandbox.wall_clock()
    [default] = contacts.groups_of(TOKEN, now)
    vip = contacts.add_group(TOKEN, "VIP", now)
    for n in range(205):  # three pages of the SDK's 100
        phone = {"phone_number": f"315135{n:04d}", "country_code": "+1"}
        fields = phone if n % 2 else {"email_address": f"n{n}@x.example", "company": "Acme"}
        contacts.add_contact(TOKEN, default, {"first_name": f"N{n}", **fields}, now)
    out = tmp_path / "contacts.csv"
    done = easify("contacts", "export", "--csv", str(out), env=env)
    assert (done.code, done.out, words(done.err)) == (0, "", f"205 rows written to {out}")
    with out.open() as file:
        rows = list(csv.DictReader(file))
    assert [r["first_name"] for r in rows] == [f"N{n}" for n in range(205)]
    assert {"first_name", "last_name", "phone_number", "email_address", "company",
            "additional_1", "additional_2", "additional_3"} <= set(rows[0])  # fmt: skip
    assert (rows[1]["phone_number"], rows[1]["email_address"]) == ("+13151350001", "")
    assert (rows[0]["phone_number"], rows[0]["email_address"]) == ("", "n0@x.example")
    assert rows[0]["company"] == "Acme"
    none = tmp_path / "none.csv"
    empty = easify("contacts", "export", "--group", str(vip.id), "--csv", str(none), env=env)
    assert (empty.code, words(empty.err)) == (0, f"0 rows written to {none}")


def test_export_needs_a_csv_file(env: dict[str, str]) -> None:
    """Without --csv there is nowhere to write: a usage error (2)."""
    done = easify("contacts", "export", env=env)
    assert done.code == 2
    assert "--csv" in done.err
