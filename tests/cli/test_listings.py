"""The list commands, declared as rows: each takes its own options, then the same tail."""

from __future__ import annotations

import re

import pytest

from tests.cli._run import easify

_TAIL = ["--token", "--base-url", "--rate-period", "--json", "--csv", "-h,"]


@pytest.mark.parametrize(
    ("path", "own"),
    [
        (("numbers", "list"), []),
        (("groups", "list"), ["--order"]),
        (("contacts", "list"), ["--group", "--order"]),
        (("templates", "list"), []),
        (("email", "senders"), []),
        (("email", "status"), ["--receiver"]),
        (("subusers", "list"), ["--email", "--show-tokens"]),
        (("campaigns", "items"), []),
        (("sms", "history"), ["--from,", "--to,", "--country-code"]),
        (
            ("calls", "list"),
            [
                "--from",
                "--to",
                "--from-date",
                "--to-date",
                "--public-call",
                "--include-subusers",
                "--order",
            ],
        ),
        (
            ("sms", "report"),
            [
                "--from-date",
                "--to-date",
                "--status",
                "--from-number",
                "--to-number",
                "--country-code",
                "--order",
            ],
        ),
    ],
)
def test_a_list_command_takes_its_options_then_the_client_json_and_csv_ones(
    path: tuple[str, ...], own: list[str]
) -> None:
    """`--help` lists the command's own options first, then the ones every listing has."""
    done = easify(*path, "--help")
    assert (done.code, done.err) == (0, "")
    options = done.out.split("Options:\n", 1)[1]
    flags = re.findall(r"^  (--?[\w-]+,?)", options, flags=re.MULTILINE)
    assert flags == [*own, *_TAIL]
