"""The ``easify`` command group and its entry point."""

from __future__ import annotations

import sys

import click
from rich.text import Text

from .._version import __version__
from ._accounts import calls, senders, subusers
from ._campaigns import campaigns
from ._contacts import contacts
from ._demo import demo
from ._email import email
from ._groups import groups
from ._history import history, report, templates
from ._numbers import numbers
from ._output import Output
from ._run import ExitCode, internal_error
from ._sandbox import sandbox
from ._sms import sms
from ._webhook import webhook

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
      2    usage error (bad options, missing token, unusable CSV file or journal)
      3    the API refused, or an argument is invalid
      4    a bulk run or dry run where some rows failed
      5    connection error (no usable reply)
      6    `sms wait` saw no final status in time
      7    a bulk run where some rows may have been sent: check them (wins over 4)
      130  interrupted (Ctrl-C)
    """


cli.add_command(sms)
cli.add_command(email)
cli.add_command(webhook)
cli.add_command(demo)
cli.add_command(sandbox)
cli.add_command(numbers)
cli.add_command(templates)
cli.add_command(campaigns)
sms.add_command(report)
sms.add_command(history)
cli.add_command(calls)
cli.add_command(subusers)
cli.add_command(groups)
cli.add_command(contacts)
email.add_command(senders)


def _usage_error(exc: click.ClickException) -> None:
    """A usage error in one line, with where to read the command's usage."""
    line = Text("error: ", style="bold red")
    line.append(" ".join(exc.format_message().split()))
    context = getattr(exc, "ctx", None)
    if isinstance(context, click.Context):
        line.append(f" (see: {context.command_path} --help)", style="dim")
    Output(json=False).err.print(line, soft_wrap=True)


def main(args: list[str] | None = None, prog_name: str = "easify") -> None:
    """Run the ``easify`` command (the console script's entry point)."""
    try:
        code = cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.ClickException as exc:  # click's own usage errors, in one line like ours
        _usage_error(exc)
        code = exc.exit_code
    except click.Abort:  # Ctrl-C outside a command's run (reading a large CSV file)
        Output(json=False).note("Interrupted.")
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # the last resort: one line, never a traceback
        code = internal_error(Output(json=False), exc)
    sys.exit(code)
