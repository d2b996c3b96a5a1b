"""The CSV reader of the bulk commands: short rows, extra cells, empty cells, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli._run import easify
from tests.cli._server import Ledger

_SEND = ("sms", "bulk", "--from", "3152930000", "-m", "Hi {name}")


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_short_row_names_the_missing_cell_and_an_empty_one_is_empty(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    """A row that ends early is not "empty": the error names the row and the cell."""
    path = _csv(tmp_path, "name,to_number\nAnn,+13151350001\nBob\nCid,\n")
    done = easify(*_SEND, path, "--dry-run", "--json", env=api_env)
    assert done.code == 4
    errors = {line["key"]: line["error"] for line in done.lines[:-1]}
    assert errors["1"] is None
    assert errors["2"]["message"] == (
        "to_number: row 2 ends before its to_number cell (it has 1 cell)"
    )
    assert errors["3"]["message"] == "to_number: row 3's to_number cell is empty"


def test_a_short_row_a_template_needs_fails_alone(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--message "Hi {name}" on a row with no name cell: that row fails, saying so."""
    path = _csv(tmp_path, "to_number,name\n+13151350001,Ann\n+13151350002\n")
    done = easify(*_SEND, path, "--json", env=api_env)
    assert done.code == 4
    rows = {line["key"]: line for line in done.lines[:-1]}
    assert rows["1"]["outcome"] == "sent"
    assert rows["2"]["error"]["message"] == (
        "message: template: row 2 ends before its name cell (it has 1 cell)"
    )
    assert [sms["message"] for sms in ledger.sms] == ["Hi Ann"]


def test_cells_past_the_header_are_named_in_one_warning(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """Rows with more cells than columns: one warning, before sending, naming the rows."""
    rows = "".join(f"Ann,+1315135{n:04d},extra\n" for n in range(7))
    path = _csv(tmp_path, f"name,to_number\n{rows}Bob,+13151359998\n")
    done = easify(*_SEND, path, "--json", env=api_env)
    assert done.code == 0, done.err
    warning = done.err.splitlines()[0]
    assert warning == (
        "warning: 7 rows have more cells than the header's 2 columns; the cells past it "
        "are ignored (row 1, 2, 3, 4, 5 and 2 more)"
    )
    assert len(ledger.sms) == 8


def test_the_encoding_option_reads_a_cp1252_file(
    tmp_path: Path, api_env: dict[str, str], ledger: Ledger
) -> None:
    """--encoding cp1252 reads what Excel on Windows writes; without it: exit 2, why."""
    path = _csv(tmp_path, "name,to_number\nZoë,+13151350001\n", encoding="cp1252")
    refused = easify(*_SEND, path, env=api_env)
    assert refused.code == 2
    assert "not utf-8-sig text (invalid continuation byte)" in refused.err
    assert "pass its --encoding" in refused.err
    done = easify(*_SEND, path, "--encoding", "cp1252", env=api_env)
    assert done.code == 0, done.err
    assert [sms["message"] for sms in ledger.sms] == ["Hi Zoë"]


@pytest.mark.parametrize("command", [("sms", "bulk"), ("email", "bulk"), ("contacts", "import")])
def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path, command: tuple[str, str]) -> None:
    """Every bulk command takes --encoding, and refuses a name that is none: exit 2."""
    path = _csv(tmp_path, "to_number\n+13151350001\n")
    done = easify(*command, path, "--encoding", "klingon", "--token", "t")
    assert done.code == 2
    assert "no such encoding: 'klingon'" in done.err
