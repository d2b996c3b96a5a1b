"""Names a person can guess: one flag per concept, old names that warn, errors that name
the flags typed, hints right for the command they appear in."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from tests.cli._run import easify
from tests.cli._server import SENDER, Ledger

_TODAY = dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("command", "old", "new", "value"),
    [
        pytest.param(["sms", "report", "--to-date", _TODAY], "--from", "--from-date", _TODAY,
                     id="sms-report-from"),
        pytest.param(["sms", "report", "--from-date", _TODAY], "--to", "--to-date", _TODAY,
                     id="sms-report-to"),
        pytest.param(["sms", "report", "--from-date", _TODAY, "--to-date", _TODAY], "--sender",
                     "--from-number", "3152930000", id="sms-report-sender"),
        pytest.param(["sms", "report", "--from-date", _TODAY, "--to-date", _TODAY],
                     "--receiver", "--to-number", "+13151350000", id="sms-report-receiver"),
        pytest.param(["sms", "history", "--to", "+13151350000"], "--sender", "--from",
                     "3152930000", id="sms-history-sender"),
        pytest.param(["sms", "history", "--from", "3152930000"], "--receiver", "--to",
                     "+13151350000", id="sms-history-receiver"),
        pytest.param(["campaigns", "status", "1"], "--interval", "--poll-interval", "2",
                     id="campaigns-interval"),
        pytest.param(["demo", "--sms", "1", "--emails", "0"], "--period", "--rate-period",
                     "0.5", id="demo-period"),
        pytest.param(["email", "send", "--sender", SENDER, "--to", "a@example.com", "--subject",
                      "s", "-m", "m"], "--data", "--additional-data", '{"order": 42}',
                     id="email-data"),
    ],
)  # fmt: skip
def test_an_old_flag_still_works_warns_and_is_hidden(
    api_env: dict[str, str], ledger: Ledger, command: list[str], old: str, new: str, value: str
) -> None:
    """A renamed flag's old name does what the new one does, says so, and left --help."""
    done = easify(*command, old, value, env=api_env)
    assert done.err.splitlines()[0] == f"warning: {old} is deprecated, use {new}"
    assert done.code in (0, 3), done.err  # 3: the sandbox has no campaign 1
    if old == "--data":
        assert ledger.emails[0]["additional_data"] == {"order": 42}
    helped = easify(*itertools.takewhile(lambda a: not a.startswith("-"), command), "--help").out
    assert re.search(rf"{new}\b(?!-)", helped)
    assert not re.search(rf"{old}\b(?!-)", helped)


def test_a_renamed_flag_is_checked_as_the_new_one() -> None:
    """The old name's value is converted and checked as the new flag's: a bad date, exit 2."""
    done = easify("sms", "report", "--from", "yesterday", "--to-date", _TODAY, "--token", "t")
    assert done.code == 2
    assert "--from-date" in done.err


def test_report_dates_and_call_dates_share_their_names() -> None:
    """`sms report` and `calls list` both say --from-date/--to-date; --from is a number."""
    for command in (("sms", "report"), ("calls", "list")):
        helped = easify(*command, "--help").out
        assert "--from-date" in helped
        assert "--to-date" in helped


@pytest.mark.parametrize(
    ("args", "line"),
    [
        pytest.param(
            ["sms", "send", "--from", "3152930000", "--to", "12345", "-m", "Hi"],
            "error: --to: '12345' has no country code: pass it international "
            "(+1..., +44..., +972...) or pass --country-code (InvalidPhoneNumberError)",
            id="sms-send-national",
        ),
        pytest.param(
            ["contacts", "create", "--group", "1", "--first-name", "Ann", "--phone", "3151350000"],
            "error: --phone: '3151350000' has no country code: pass it international "
            "(+1..., +972...) or pass --country-code (InvalidPhoneNumberError)",
            id="contacts-create-national",
        ),
        pytest.param(
            ["contacts", "create", "--group", "1", "--first-name", "Ann", "--phone",
             "+447700900123"],
            "error: --phone: '+447700900123' is not in a supported country (+1, +972) "
            "(UnsupportedCountryError)",
            id="contacts-create-uk",
        ),
        pytest.param(
            ["contacts", "create", "--group", "1", "--first-name", "Ann", "--phone",
             "7700900123", "--country-code", "+44"],
            "error: --country-code: '+44' is not supported (+1, +972) (UnsupportedCountryError)",
            id="contacts-create-uk-code",
        ),
        pytest.param(
            ["calls", "list", "--to", "+13151350000", "--to", "12"],
            "error: --to[1]: '12' is not a valid +1 number (InvalidPhoneNumberError)",
            id="calls-list-second-to",
        ),
        pytest.param(
            ["sms", "send", "--from", "3152930000", "--to", "call me", "-m", "Hi"],
            "error: --to: 'call me' is not a phone number (InvalidPhoneNumberError)",
            id="sms-send-not-a-number",
        ),
        pytest.param(
            ["contacts", "create", "--group", "1", "--first-name", "Ann", "--phone", "n/a"],
            "error: --phone: 'n/a' is not a phone number (InvalidPhoneNumberError)",
            id="contacts-create-not-a-number",
        ),
    ],
)  # fmt: skip
def test_errors_name_the_flags_and_offer_what_the_command_takes(
    api_env: dict[str, str], ledger: Ledger, args: list[str], line: str
) -> None:
    """The flag typed (--to, --phone) and only country codes this command accepts."""
    done = easify(*args, env=api_env)
    assert (done.code, done.err) == (3, f"{line}\n")
    assert (ledger.sms, ledger.contacts) == ([], [])


def test_json_errors_keep_the_argument_and_add_the_option(api_env: dict[str, str]) -> None:
    """--json: `argument` stays the SDK's name for scripts, `option` is the flag typed."""
    done = easify("sms", "send", "--from", "3152930000", "--to", "12345", "-m", "Hi", "--json",
                  env=api_env)  # fmt: skip
    [line] = done.lines
    assert (line["error"]["argument"], line["error"]["option"]) == ("to_number", "--to")
    assert line["error"]["message"].startswith("--to: '12345' has no country code")
