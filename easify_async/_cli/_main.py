"""The ``easify`` command group and its entry point."""

from __future__ import annotations

import sys

import click

from .._extras import MissingExtraError
from .._version import __version__
from ._lazy import LazyCommand, LazyGroup
from ._output import Output, quiet_stdout
from ._run import ExitCode, internal_error

__all__ = ["cli", "main"]


# Each command's module is imported when the command runs: `easify --version` and
# `easify --help` import none (see _lazy.py). The help lines are the first sentences of
# the commands' docstrings; a test keeps them equal.
COMMANDS = {
    "calls": LazyCommand("._accounts", "calls", "Your voice-call history."),
    "campaigns": LazyCommand(
        "._campaigns",
        "campaigns",
        "SMS campaigns: send one from templates and a CSV, follow it, list its messages.",
    ),
    "contacts": LazyCommand(
        "._contacts",
        "contacts",
        "Your contacts: list, create, update, delete, export to and import from CSV.",
    ),
    "demo": LazyCommand(
        "._demo",
        "demo",
        "Bulk-send through the real client to an in-process sandbox; receive its webhooks.",
    ),
    "email": LazyCommand(
        "._email",
        "email",
        "Send emails, one or a CSV file of them; the status of one sent to several.",
    ),
    "journal": LazyCommand(
        "._journal",
        "journal",
        "A bulk run's journal: show its rows, settle the maybe-sent ones.",
    ),
    "ledger": LazyCommand(
        "._ledger", "ledger", "An idempotency ledger: show and settle its ambiguous keys."
    ),
    "groups": LazyCommand(
        "._groups", "groups", "Your contact groups (the main user's shared group included)."
    ),
    "numbers": LazyCommand(
        "._numbers", "numbers", "Your Easify numbers and their incoming-SMS webhooks."
    ),
    "sandbox": LazyCommand(
        "._sandbox",
        "sandbox",
        "Serve the sandbox (a faithful local Easify API) with uvicorn until Ctrl-C.",
    ),
    "sms": LazyCommand(
        "._sms", "sms", "Send SMS/MMS, read their delivery status, send a CSV file."
    ),
    "subusers": LazyCommand(
        "._accounts", "subusers", "Your sub-users and their API tokens (main user only)."
    ),
    "templates": LazyCommand(
        "._history", "templates", "The SMS templates approved in the web app (for campaigns)."
    ),
    "webhook": LazyCommand("._webhook", "webhook", "Work with Easify's signed delivery webhooks."),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="easify")
def cli() -> None:
    """Easify from the command line: SMS, email, bulk sending, a local sandbox, webhooks.

    \b
    The token comes from --token or EASIFY_API_TOKEN, the base URL from --base-url
    or EASIFY_BASE_URL. Each command's --json (easify sms send --json ...) prints
    one JSON object per line on stdout.

    \b
    Exit codes:
      0    done
      1    internal error (a bug): rerun with EASIFY_DEBUG=1 for the traceback
      2    usage error (bad options, no token, a missing or unusable file or
           journal)
      3    the API refused, or an argument is invalid; a bulk run stopped at a
           refusal no row can pass (token, plan, credits, sender, group)
      4    a bulk run or dry run where some rows failed or were not sent
      5    connection error (no usable reply)
      6    `sms wait` saw no final status in time
      7    a bulk run where some rows may have been sent: settle them with
           `easify journal` (wins over 3 and 4)
      130  interrupted (Ctrl-C)
    """


def _usage_error(exc: click.ClickException, *, json: bool) -> None:
    """A usage error in one line, with where to read the command's usage.

    With ``--json`` it is an ``{"error": ...}`` line on stdout instead, as for every other
    error: a script reading stdout learns why there is nothing else.
    """
    message = " ".join(exc.format_message().split())
    if json:
        Output(json=True).emit({"error": {"type": "UsageError", "message": message}})
        return
    from rich.text import Text  # rich loads only when there is something to print

    line = Text("error: ", style="bold red")
    line.append(message)
    context = getattr(exc, "ctx", None)
    if isinstance(context, click.Context):
        line.append(f" (see: {context.command_path} --help)", style="dim")
    Output(json=False).err.print(line, soft_wrap=True)


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for --json (before a ``--``, which ends options)."""
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


def main(args: list[str] | None = None, prog_name: str = "easify") -> None:
    """Run the ``easify`` command (the console script's entry point)."""
    args = sys.argv[1:] if args is None else args
    try:
        code = cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # `easify`, `easify sms`: the help
        exc.show()
        code = exc.exit_code
    except MissingExtraError as exc:  # `easify sandbox` without the sandbox extra
        Output(json=False).error(exc)
        code = ExitCode.USAGE
    except click.ClickException as exc:  # click's own usage errors, in one line like ours
        _usage_error(exc, json=_wants_json(args))
        code = exc.exit_code
    except BrokenPipeError:  # `easify sms report | head -1`: the reader has all it wants
        quiet_stdout()
        code = ExitCode.OK
    except click.Abort:  # Ctrl-C outside a command's run (reading a large CSV file)
        Output(json=False).note("Interrupted.")
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # the last resort: one line, never a traceback
        code = internal_error(Output(json=False), exc)
    sys.exit(code)
