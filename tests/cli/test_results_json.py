"""The CLI's --json prints a result as `to_dict` gives it: one code for both (issue 22.3)."""

from __future__ import annotations

import attrs

from easify_async import PhoneNumber, from_dict, to_dict
from tests.cli._run import easify
from tests.cli._server import Ledger


def test_a_result_prints_as_its_to_dict(api_env: dict[str, str], ledger: Ledger) -> None:
    """`numbers set-webhook --json` is the number's `to_dict`: its fields, in their order."""
    [row] = easify("numbers", "list", "--json", env=api_env).lines
    done = easify(
        "numbers", "set-webhook", str(row["id"]), "https://x.example/in", "--json", env=api_env
    )
    assert done.code == 0, done.err
    [line] = done.lines
    assert list(line) == [a.name for a in attrs.fields(PhoneNumber)]
    assert line == to_dict(from_dict(line, PhoneNumber))
    assert line == {**row, "webhook_url": "https://x.example/in"}  # the list's line, too
