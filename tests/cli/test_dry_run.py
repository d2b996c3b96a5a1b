"""`easify sms|email bulk --dry-run`: every row validated, the ETA printed, nothing sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli._run import easify

# Rows: two good ones, then a bad number, a missing field, an unsupported country.
SMS_CSV = """\
id,to_number,first_name,country_code
a1,+13151350001,Ann,
a2,3151350002,Bob,+1
a3,12,Cid,+1
a4,,Dee,
a5,+33612345678,Eve,
"""


@pytest.fixture
def sms_csv(tmp_path: Path) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(SMS_CSV)
    return path


def test_dry_run_reports_each_invalid_row_and_exits_4(sms_csv: Path) -> None:
    """Bad numbers, missing fields and unsupported countries are named per row; exit 4."""
    done = easify(
        "sms", "bulk", str(sms_csv), "--from", "3152930000", "-m", "Hi {first_name}",
        "--key-column", "id", "--dry-run", "--json",
    )  # fmt: skip
    assert done.code == 4, done.err
    rows = {line["key"]: line for line in done.lines if "key" in line}
    assert [k for k, row in rows.items() if row["valid"]] == ["a1", "a2"]
    assert rows["a3"]["error"]["type"] == "InvalidPhoneNumberError"
    assert rows["a4"]["error"]["argument"] == "to_number"
    assert rows["a5"]["error"]["type"] == "UnsupportedCountryError"
    assert done.lines[-1] == {
        "summary": {
            "rows": 5,
            "valid": 2,
            "invalid": 3,
            "done_in_journal": 0,
            "eta_seconds": 0.0,
            "eta": "2 SMS at 15/min: about 0 seconds",
        }
    }


def test_dry_run_prints_the_eta_for_people(tmp_path: Path) -> None:
    """A valid file exits 0 and says how long the real run would take at the limit."""
    path = tmp_path / "many.csv"
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(1000)))
    done = easify("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--dry-run")
    assert done.code == 0, done.err
    assert "1,000 of 1,000 rows are valid; nothing was sent." in done.out
    assert "1,000 SMS at 15/min: about 67 minutes" in done.out


def test_dry_run_with_a_journal_counts_only_the_rows_left(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    """15 rows sent by a journaled run: the dry run of 20 says so, with the ETA of 5."""
    path = tmp_path / "rows.csv"
    rows = [f"+1315135{i:04d}\n" for i in range(20)]
    path.write_text("to_number\n" + "".join(rows[:15]))
    journal = str(tmp_path / "run.db")
    args = ("sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--journal", journal)
    assert easify(*args, env=api_env).code == 0
    path.write_text("to_number\n" + "".join(rows))
    dry = easify(*args, "--dry-run", env=api_env)
    assert dry.code == 0, dry.err
    assert "20 of 20 rows are valid; nothing was sent." in dry.out
    assert "15 of them are done in the journal and will be skipped." in dry.out
    assert "5 SMS at 15/min: about 0 seconds" in dry.out
    summary = easify(*args, "--dry-run", "--json", env=api_env).lines[-1]["summary"]
    assert (summary["valid"], summary["done_in_journal"], summary["eta_seconds"]) == (20, 15, 0.0)


def test_dry_run_finds_duplicate_keys(tmp_path: Path) -> None:
    """A key column value used twice fails the second row: keys must identify rows."""
    path = tmp_path / "dup.csv"
    path.write_text("id,to_number\nx,+13151350001\nx,+13151350002\n")
    done = easify(
        "sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi", "--key-column", "id",
        "--dry-run", "--json",
    )  # fmt: skip
    assert done.code == 4
    assert [line.get("error", {}) and line["error"]["type"] for line in done.lines[:2]] == [
        None,
        "DuplicateKeyError",
    ]


def test_email_dry_run_validates_cells_and_templates(tmp_path: Path) -> None:
    """Email rows: a bad address, a bad yes/no cell and bad JSON data fail; templates fill."""
    path = tmp_path / "mail.csv"
    path.write_text(
        "receiver,name,enable_unsubscribe,additional_data\n"
        'ann@example.com,Ann,yes,"{""order"": 1}"\n'
        "not-an-address,Bob,,\n"
        "cid@example.com,Cid,maybe,\n"
        "dee@example.com,Dee,,[1]\n"
    )
    done = easify(
        "email", "bulk", str(path), "--sender", "qa@example.com", "--subject", "For {name}",
        "-m", "<p>Hi {name}</p>", "--dry-run", "--json",
    )  # fmt: skip
    assert done.code == 4, done.err
    errors = [line["error"] and line["error"]["argument"] for line in done.lines[:-1]]
    assert errors == [None, "receiver", "enable_unsubscribe", "additional_data"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["-m", "Hi {nickname}"], "no column named nickname", id="template-column"),
        pytest.param(["-m", "Hi {0}"], "{0} is not a column name", id="positional-field"),
        pytest.param(["-m", "Hi {a.b}"], "{a.b} is not a column name", id="attribute-field"),
        pytest.param(["-m", "Hi", "--key-column", "nope"], "no column named nope", id="key"),
    ],
)
def test_templates_and_key_column_are_checked_against_the_header(
    sms_csv: Path, args: list[str], message: str
) -> None:
    """A template or key column naming no column is a usage error before any row is read."""
    done = easify("sms", "bulk", str(sms_csv), "--from", "3152930000", *args, "--dry-run")
    assert done.code == 2
    assert message in done.err


def test_a_required_field_no_column_or_option_gives_is_a_usage_error(sms_csv: Path) -> None:
    """Without --from and without a from_number column, nothing can be sent: exit 2."""
    done = easify("sms", "bulk", str(sms_csv), "-m", "Hi", "--dry-run")
    assert done.code == 2
    assert "no column or option gives from_number" in done.err
