"""`easify groups ...` and `easify contacts ...` through the real entry point at 80 columns,
against the sandbox served on 127.0.0.1."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.cli._run import easify, interrupted
from tests.cli._server import TOKEN, Ledger
from tests.cli._session import DOCS, console_session, play

DEFAULT_GROUP_ID = 1  # every sandbox account starts with its default group, id 1

# An import's rows: good ones, and one bad one of each kind (c2-c4, c6).
MIXED = """\
id,first_name,last_name,phone_number,email_address,company
c1,Ann,Lee,+13151350001,,Acme
c2,Bob,,3151350002,bob@x.example,
c3,,Nobody,+13151350003,,
c4,Dee,,+447700900123,,
c5,Eve,,,eve@x.example,
c6,Averyveryverylongname,,,f@x.example,
"""


@pytest.fixture
def env(api_env: dict[str, str]) -> dict[str, str]:
    """The sandbox's environment, on a terminal 80 columns wide."""
    return {**api_env, "COLUMNS": "80"}


def fits(text: str) -> bool:
    """Whether every line fits the 80-column terminal."""
    return all(len(line) <= 80 for line in text.splitlines())


def words(text: str) -> str:
    """``text`` on one line: a note wraps at 80 columns."""
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
    assert listed.err == f"2 rows written to {out}\n"  # the path whole, however long
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
        (("groups", "delete", "0"), 3, "error: ID: must be a positive integer id, got 0"),
        (("groups", "delete", "abc"), 2, "'abc' is not a valid integer"),
        (("groups", "create", " "), 3, "error: NAME: must be a non-empty string"),
        (("contacts", "create", "--group", "1", "--first-name", "Ann"), 3, "a phone number or"),
        (
            ("contacts", "create", "--group", "1", "--first-name", "A" * 21, "--email", "a@x.io"),
            3,
            "error: --first-name: must be at most 20 characters",
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
        (("contacts", "delete", "-5"), 2, "No such option"),  # click words the rest
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
    [listed_bob] = easify("contacts", "list", "--group", "1", "--json", env=env).lines
    assert (listed_bob["last_name"], listed_bob["shared_contact"]) == (None, False)  # not ""
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
    assert (done.code, done.out, done.err) == (0, "", f"205 rows written to {out}\n")
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
    assert (empty.code, empty.err) == (0, f"0 rows written to {none}\n")
    assert none.read_text().splitlines() == [",".join(rows[0])]  # the header alone
    assert easify("contacts", "import", str(none), "--group", "1", env=env).code == 0


def test_export_needs_a_csv_file(env: dict[str, str]) -> None:
    """Without --csv there is nowhere to write: a usage error (2)."""
    done = easify("contacts", "export", env=env)
    assert done.code == 2
    assert "--csv" in done.err


def test_import_creates_the_good_rows_and_reports_the_bad_ones(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Bad rows fail alone with their error; the summary speaks of contacts created; exit 4."""
    path = tmp_path / "contacts.csv"
    path.write_text(MIXED)
    done = easify("contacts", "import", str(path), "--group", "1", "--key-column", "id", env=env)
    assert done.code == 4, done.err
    assert fits(done.out)
    assert "6 contacts at 15/min: about 0 seconds" in done.err
    assert "created 2 · failed 4" in done.err  # the progress bar's counts
    assert "Bulk contacts: 6 rows" in done.out
    assert "│ created │    2 │" in done.out
    assert "│ failed  │    4 │" in done.out
    assert "2 contacts created in" in done.out
    assert "\nRows not created\n" in done.out
    for key, error in [
        ("c2", "InvalidPhoneNumberError: phone_number: '3151350002' has no country"),
        ("c3", "ArgumentError: first_name: row 3's first_name cell is empty"),
        ("c4", "UnsupportedCountryError: phone_number: '+447700900123' is not in"),
        ("c6", "ArgumentError: first_name: must be at most 20 characters"),
    ]:
        assert f"│ {key}  │ {error}" in done.out
    assert [(c["first_name"], c["phone_number"], c["email_address"], c["company"])
            for c in ledger.contacts] == [
        ("Ann", "+13151350001", None, "Acme"), ("Eve", None, "eve@x.example", None),
    ]  # fmt: skip
    assert ledger.groups == {"Default": 2}


def test_import_json_lines_carry_each_row_and_the_summary(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """--json: one line per row with its contact_id or typed error, then the summary."""
    path = tmp_path / "contacts.csv"
    path.write_text(MIXED)
    args = ("contacts", "import", str(path), "--group", "1", "--key-column", "id", "--json")
    done = easify(*args, env=env)
    assert done.code == 4
    rows = {line["key"]: line for line in done.lines[:-1]}
    assert {k: r["outcome"] for k, r in rows.items()} == {
        "c1": "sent", "c2": "failed", "c3": "failed", "c4": "failed", "c5": "sent",
        "c6": "failed",
    }  # fmt: skip
    assert {rows["c1"]["contact_id"], rows["c5"]["contact_id"]} == {
        c["id"] for c in ledger.contacts
    }
    assert rows["c4"]["error"]["type"] == "UnsupportedCountryError"
    assert rows["c3"]["error"]["argument"] == "first_name"
    summary = done.lines[-1]["summary"]
    assert (summary["sent"], summary["failed"], summary["total"], summary["complete"]) == (
        2, 4, 6, True,
    )  # fmt: skip


def test_import_run_twice_with_a_journal_creates_nothing_twice(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """The rerun skips the created and the failed rows: every contact is in the sandbox once."""
    path = tmp_path / "contacts.csv"
    path.write_text(MIXED)
    journal = str(tmp_path / "import.db")
    args = ("contacts", "import", str(path), "--group", "1", "--key-column", "id")
    first = easify(*args, "--journal", journal, env=env)
    second = easify(*args, "--journal", journal, "--json", env=env)
    assert (first.code, second.code) == (4, 4)  # c3 never reaches the journal: it fails again
    outcomes = {line["key"]: line["outcome"] for line in second.lines[:-1]}
    assert outcomes == {
        "c1": "already_sent", "c2": "already_failed", "c3": "failed", "c4": "already_failed",
        "c5": "already_sent", "c6": "already_failed",
    }  # fmt: skip
    assert "1 contact at 15/min: about 0 seconds (5 of the 6 rows are done in the journal)" in (
        words(second.err)
    )
    assert sorted(c["first_name"] for c in ledger.contacts) == ["Ann", "Eve"]


def test_an_interrupted_import_resumes_without_creating_any_twice(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Ctrl-C while rows wait on the 15/min limit; the resumed run creates only the rest."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "first_name,phone_number\n" + "".join(f"N{i},+1315135{i:04d}\n" for i in range(20))
    )
    journal = str(tmp_path / "import.db")
    args = ["contacts", "import", str(path), "--group", "1", "--journal", journal]
    # A minute-long window: 15 rows are created at once, the other 5 wait for the next one.
    stopped = interrupted(*args, sent=15, env=env)
    assert stopped.code == 130, stopped.err
    summary = stopped.lines[-1]["summary"]
    assert (summary["sent"], summary["unfinished"], summary["complete"]) == (15, 5, False)
    assert len(ledger.contacts) == 15
    ledger.advance(61)  # the window has passed
    again = easify(*args, env=env)
    assert again.code == 0, again.err
    assert "│ already created │   15 │" in again.out
    assert "│ created         │    5 │" in again.out
    assert sorted(c["first_name"] for c in ledger.contacts) == sorted(f"N{i}" for i in range(20))


def test_an_export_imports_back_into_another_group(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """`contacts export` writes what `contacts import` reads: E.164 phones, every field."""
    contacts = ledger.sandbox.contacts
    now = ledger.sandbox.wall_clock()
    [default] = contacts.groups_of(TOKEN, now)
    vip = contacts.add_group(TOKEN, "VIP", now)
    for fields in (
        {"first_name": "Ann", "last_name": "Lee", "phone_number": "3151350001",
         "country_code": "+1", "company": "Acme", "additional_3": "x"},
        {"first_name": "Dan", "phone_number": "501234567", "country_code": "+972",
         "email_address": "dan@x.example"},
    ):  # fmt: skip
        contacts.add_contact(TOKEN, default, fields, now)
    out = tmp_path / "export.csv"
    assert easify("contacts", "export", "--group", "1", "--csv", str(out), env=env).code == 0
    done = easify("contacts", "import", str(out), "--group", str(vip.id), "--json", env=env)
    assert done.code == 0, done.err
    assert ledger.groups == {"Default": 2, "VIP": 2}
    drop = ("id", "group_name", "created_at", "updated_at")
    copies = [{k: v for k, v in c.items() if k not in drop} for c in ledger.contacts]
    assert copies[2:] == copies[:2]
    assert copies[3]["phone_number"] == "+972501234567"


def test_import_takes_the_group_from_a_group_id_column(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """Without --group each row names its group; a cell that is no number fails its row."""
    ledger.sandbox.contacts.add_group(TOKEN, "VIP", ledger.sandbox.wall_clock())
    path = tmp_path / "contacts.csv"
    path.write_text("group_id,first_name,email_address\n1,Ann,a@x.example\n2,Bob,b@x.example\n"
                    "two,Cid,c@x.example\n")  # fmt: skip
    done = easify("contacts", "import", str(path), "--json", env=env)
    assert done.code == 4
    [cid] = [line for line in done.lines[:-1] if line["outcome"] == "failed"]
    assert cid["error"]["message"] == "group_id: 'two' is not a whole number"
    assert ledger.groups == {"Default": 1, "VIP": 1}


def test_import_without_a_group_is_a_usage_error(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """No --group and no group_id column: exit 2 before anything is created."""
    path = tmp_path / "contacts.csv"
    path.write_text("first_name,email_address\nAnn,a@x.example\n")
    done = easify("contacts", "import", str(path), env=env)
    assert done.code == 2
    assert "no column or option gives group_id" in done.err
    assert ledger.contacts == []


def test_import_dry_run_validates_and_creates_nothing(
    env: dict[str, str], ledger: Ledger, tmp_path: Path
) -> None:
    """--dry-run lists the invalid rows and the ETA of the valid ones; exit 4, nothing made."""
    path = tmp_path / "contacts.csv"
    path.write_text(MIXED)
    args = ("contacts", "import", str(path), "--group", "1", "--key-column", "id", "--dry-run")
    done = easify(*args, env=env)
    assert done.code == 4
    assert "2 of 6 rows are valid; nothing was created." in done.out
    assert "2 contacts at 15/min: about 0 seconds" in done.out
    assert ledger.contacts == []


def test_the_readme_import_example_is_what_the_cli_prints(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Each command of the bulk guide's session prints, at 80 columns, the lines shown
    there."""
    steps = console_session(DOCS / "guides" / "bulk.md", "easify contacts import customers")
    runs = play(steps, env=env, cwd=tmp_path)
    assert [run.code for run in runs] == [0, 4, 4, 0]  # the rerun: still 1 row failed
