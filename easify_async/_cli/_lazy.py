"""Command groups whose subcommands are imported on first use (click's lazy-loading pattern).

Importing every command module pulls in httpx, rich, cattrs and the client: most of a
second for ``easify --version``. A `LazyGroup` imports a subcommand's module only when
that subcommand runs (or shows its own help), and lists them all in ``--help`` from its
table's short help, importing none.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click
from attrs import frozen

__all__ = ["LazyCommand", "LazyGroup"]


@frozen
class LazyCommand:
    """Where a subcommand lives, and the line ``--help`` shows for it.

    ``short_help`` is the first paragraph of the command's docstring, as click would list
    it; tests/cli/test_cli_start.py checks that they stay equal.
    """

    module: str  # relative to easify_async._cli: "._sms"
    attribute: str  # the click command in it: "sms"
    short_help: str


class LazyGroup(click.Group):
    """A `click.Group` whose ``lazy`` subcommands are imported by name when needed."""

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand, imported or not, sorted."""
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand ``cmd_name``, importing its module the first time."""
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.load(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def load(self, cmd_name: str) -> click.Command:
        """Import the lazy subcommand ``cmd_name`` (a `KeyError` if there is none)."""
        entry = self.lazy[cmd_name]
        command = getattr(importlib.import_module(entry.module, __package__), entry.attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{entry.module}.{entry.attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The "Commands" section as click writes it, from the table for unimported ones."""
        listed = [(name, self._listed(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in listed if not command.hidden]
        if not rows:
            return
        # click's own width rule, so the lines (and their "..." cuts) are the same.
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, command.get_short_help_str(limit)) for name, command in rows]
            )

    def _listed(self, cmd_name: str) -> click.Command:
        # An unimported command stands in as a bare one with its short help: click cuts
        # it to the line as it would cut the real docstring.
        command = self.commands.get(cmd_name)
        if command is None:
            command = click.Command(cmd_name, help=self.lazy[cmd_name].short_help)
        return command
