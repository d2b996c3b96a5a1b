"""What people read, at 80 columns: titles, counts, plurals, the rate, the help texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from easify_async._cli._output import json_ids
from tests.cli._run import easify
from tests.cli._server import Ledger

PERIOD = 0.5  # of the sandbox's window, and the client's --rate-period


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(period=PERIOD)


def _rows(path: Path, count: int) -> Path:
    path.write_text("to_number\n" + "".join(f"+1315135{i:04d}\n" for i in range(count)))
    return path


def _bulk(path: Path, *args: str) -> list[str]:
    command = ["sms", "bulk", str(path), "--from", "3152930000", "-m", "Hi"]
    return [*command, "--rate-period", str(PERIOD), *args]


def test_the_bar_and_the_summary_show_one_rate_within_the_limit(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    """Past the first window's burst, bar and summary give the same share, at most 100%."""
    path = _rows(tmp_path / "rows.csv", 31)  # three windows
    done = easify(*_bulk(path), env=api_env)
    assert done.code == 0, done.err
    bar = re.findall(r"(\d+)% of the limit's rate \(15/0\.5s\)", " ".join(done.err.split()))
    summary = re.findall(
        r"31 SMS sent in [\d.]+ s at 15/0\.5s: (\d+)% of the limit's rate", done.out
    )
    assert bar, done.err
    assert summary, done.out
    assert bar[-1] == summary[0]
    assert 0 < int(summary[0]) <= 100


def test_the_json_summary_gives_the_same_share(tmp_path: Path, api_env: dict[str, str]) -> None:
    """--json: limit_share is a fraction of the limit's rate, at most 1, None in one burst."""
    many = easify(*_bulk(_rows(tmp_path / "many.csv", 16), "--json"), env=api_env)
    few = easify(*_bulk(_rows(tmp_path / "few.csv", 15), "--json"), env=api_env)
    assert (many.code, few.code) == (0, 0), many.err + few.err
    assert 0 < many.lines[-1]["summary"]["limit_share"] <= 1
    assert few.lines[-1]["summary"]["limit_share"] is None  # one burst: no rate to speak of


def test_one_row_reads_as_one(tmp_path: Path, api_env: dict[str, str]) -> None:
    """ "1 row", "1 SMS", "1 email", "1 of 1 row is valid": no "1 rows"."""
    path = _rows(tmp_path / "one.csv", 1)
    done = easify(*_bulk(path), env=api_env)
    assert done.code == 0, done.err
    assert done.out.startswith("Bulk SMS: 1 row\n")
    assert "1 SMS sent in" in done.out
    dry = easify(*_bulk(path, "--dry-run"), env=api_env)
    assert "1 of 1 row is valid; nothing was sent." in dry.out
    mail = tmp_path / "mail.csv"
    mail.write_text("receiver\nann@example.com\n")
    email = easify(
        "email", "bulk", str(mail), "--sender", "qa@example.com", "--subject", "Hi", "-m", "Hi",
        "--rate-period", str(PERIOD), env=api_env,
    )  # fmt: skip
    assert email.code == 0, email.err
    assert "1 email at 15/0.5s: about 0 seconds" in email.err
    assert "1 email sent in" in email.out


def test_titles_and_counts_fit_80_columns(tmp_path: Path, api_env: dict[str, str]) -> None:
    """At 80 columns no line is longer, titles stay whole, the counts are not cut."""
    path = tmp_path / "mixed.csv"
    path.write_text("to_number\n+13151350001\n12\n+33612345678\n")
    done = easify(*_bulk(path), env=api_env)
    assert done.code == 4, done.err
    for line in (done.out + done.err).splitlines():
        assert len(line) <= 80, line
    assert "Bulk SMS: 3 rows\n" in done.out
    assert "\nRows not sent\n" in done.out
    assert "sent 1 · failed 2 · waiting on the limit 0" in done.err


def test_email_send_help_marks_the_required_options() -> None:
    """`email send --help`: --sender required, --to and --subject say what they are."""
    done = easify("email", "send", "--help")
    assert done.code == 0
    text = " ".join(done.out.split())
    assert "--sender, --from ADDRESS One of your verified sender addresses. [required]" in text
    assert (
        "--to, --receiver ADDRESS A recipient; repeat for several (sent through API v3). [required]"
        in text
    )
    assert "--subject TEXT The subject line. [required]" in text


def test_email_send_without_sender_is_clicks_usage_error() -> None:
    """No --sender: click's own missing-option error, exit 2."""
    done = easify("email", "send", "--to", "a@b.co", "--subject", "s", "--token", "t")
    assert done.code == 2
    assert "Missing option '--sender'" in done.err


def test_the_top_help_says_json_is_an_option_of_each_command() -> None:
    """`easify --help` does not offer a --json the group itself lacks."""
    done = easify("--help")
    assert "Each command's --json" in " ".join(done.out.split())
    assert easify("--json", "sms", "--help").code == 2  # indeed no global --json


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        pytest.param({"sms_id": "31533"}, {"sms_id": 31533}, id="number"),
        pytest.param({"email_id": "6746c18a3b"}, {"email_id": "6746c18a3b"}, id="hex"),
        pytest.param({"sms_id": "0123"}, {"sms_id": "0123"}, id="leading-zero"),
        pytest.param({"sms_id": "²"}, {"sms_id": "²"}, id="not-ascii"),
        pytest.param({"sms_id": None}, {"sms_id": None}, id="none"),
        pytest.param({"id": "8381"}, {"id": "8381"}, id="call-id"),
        pytest.param({"lead_id": "123"}, {"lead_id": "123"}, id="not-easify"),
    ],
)  # fmt: skip
def test_json_ids_are_numbers_where_the_api_gives_numbers(
    given: dict[str, object], printed: dict[str, object]
) -> None:
    """An SMS/email/campaign/contact/group id that is a number prints as one; nothing else."""
    assert json_ids(given) == printed
