"""Every SDK call a person would run by hand has an `easify` command: the table below is
checked against the client's calls, so a new call without a command fails here."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import anyio
import click
import pytest

from easify_async import AsyncEasify
from easify_async._cli._main import cli
from tests.cli._run import easify
from tests.cli._server import SENDER, Ledger

#: SDK call -> the command that makes it, or why none does.
COMMANDS: dict[str, str] = {
    "sms.send": "sms send",
    "sms.send_many": "sms bulk",
    "sms.status": "sms status",
    "sms.wait_for_final_status": "sms wait",
    "sms.report": "sms report",
    "sms.chat_history": "sms history",
    "sms.templates": "templates list",
    "email.send": "email send",
    "email.send_many": "email bulk",
    "email.senders": "email senders",
    "v3.email.send": "email send",  # several --to, or any --cc/--bcc
    "v3.email.status": "email status",
    "campaigns.send": "campaigns send",
    "campaigns.status": "campaigns status",
    "campaigns.wait_for_completion": "campaigns status",  # --watch
    "campaigns.items": "campaigns items",
    "contact_groups.list": "groups list",
    "contact_groups.create": "groups create",
    "contact_groups.update": "groups rename",
    "contact_groups.delete": "groups delete",
    "contacts.list": "contacts list",
    "contacts.create": "contacts create",
    "contacts.create_many": "contacts import",
    "contacts.update": "contacts update",
    "contacts.delete": "contacts delete",
    "phone_numbers.list": "numbers list",
    "phone_numbers.update_webhook": "numbers set-webhook",
    "voice_calls.history": "calls list",
    "sub_users.list": "subusers list",
}

#: SDK calls no one runs by hand, and why.
NOT_COMMANDS: dict[str, str] = {
    # A CSV row is one recipient: `email bulk` sends each through v2, with scheduling.
    "v3.email.send_many": "a bulk of several-recipient emails has no CSV shape",
}


def _calls(path: str, group: Any) -> Iterator[str]:
    for name in dir(group):
        if name.startswith("_"):
            continue
        value = getattr(group, name)
        if callable(value):
            yield f"{path}{name}"
        elif type(value).__module__.startswith("easify_async._endpoints"):
            yield from _calls(f"{path}{name}.", value)  # v3.email


def sdk_calls() -> set[str]:
    """Every call of every resource group of a client (``sms.send``, ``v3.email.status``)."""
    easify = AsyncEasify("1|t")
    try:
        groups = [
            name
            for name, member in vars(AsyncEasify).items()
            if isinstance(member, functools.cached_property) and not name.startswith("_")
        ]
        return {call for name in groups for call in _calls(f"{name}.", getattr(easify, name))}
    finally:
        anyio.run(easify.aclose)


def test_every_sdk_call_has_a_command_or_a_reason() -> None:
    """A call the table does not list (a new endpoint) fails until it gets a command."""
    calls = sdk_calls()
    assert "contacts.update" in calls  # the walk sees the groups
    assert calls == set(COMMANDS) | set(NOT_COMMANDS)


@pytest.mark.parametrize("command", sorted(set(COMMANDS.values())))
def test_every_listed_command_exists(command: str) -> None:
    """The table names real commands."""
    group: click.Command | None = cli
    with click.Context(cli) as ctx:
        for name in command.split():
            assert isinstance(group, click.Group)
            group = group.get_command(ctx, name)
            assert group is not None, command


def test_contacts_update_replaces_the_fields(api_env: dict[str, str], ledger: Ledger) -> None:
    """`contacts update ID` sends the new fields; the contact keeps its id and group."""
    created = easify("contacts", "create", "--group", "1", "--first-name", "Ann",
                     "--phone", "+13151350000", "--json", env=api_env).lines[0]  # fmt: skip
    done = easify("contacts", "update", str(created["id"]), "--first-name", "Anne",
                  "--email", "anne@example.com", env=api_env)  # fmt: skip
    assert done.code == 0, done.err
    assert done.out.strip() == f"Contact updated: id {created['id']} (Anne, Default)"
    [contact] = ledger.contacts
    assert (contact["id"], contact["first_name"], contact["email_address"]) == (
        created["id"],
        "Anne",
        "anne@example.com",
    )
    refused = easify("contacts", "update", str(created["id"]), "--first-name", "A",
                     "--phone", "12", env=api_env)  # fmt: skip
    assert refused.code == 3
    assert refused.err.startswith("error: --phone: ")


def test_email_status_lists_each_recipient(api_env: dict[str, str]) -> None:
    """`email status` gives each recipient of a v3 email, its id a number as in the send."""
    sent = easify("email", "send", "--sender", SENDER, "--to", "a@x.example", "--cc",
                  "c@x.example", "--subject", "Hi", "-m", "m", "--json", env=api_env)  # fmt: skip
    email_id = sent.lines[0]["email_id"]
    done = easify("email", "status", str(email_id), "--json", env=api_env)
    assert done.code == 0, done.err
    assert [(r["email_id"], r["receiver"], r["recipient_type"]) for r in done.lines] == [
        (email_id, "a@x.example", "to"),
        (email_id, "c@x.example", "cc"),
    ]
    one = easify("email", "status", str(email_id), "--receiver", "c@x.example", env=api_env)
    assert one.code == 0, one.err
    assert "c@x.example" in one.out
    assert "a@x.example" not in one.out
