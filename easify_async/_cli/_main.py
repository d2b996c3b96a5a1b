"""The ``easify`` command group and its entry point."""

from __future__ import annotations

import click

from .._version import __version__
from ._accounts import calls, senders, subusers
from ._campaigns import campaigns
from ._demo import demo
from ._email import email
from ._history import history, report, templates
from ._numbers import numbers
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
    or EASIFY_BASE_URL. --json prints one JSON object per line on stdout.

    \b
    Exit codes:
      0    done
      2    usage error (bad options, missing token, unusable CSV)
      3    the API refused, or an argument is invalid
      4    a bulk run or dry run where some rows failed
      5    connection error (no usable reply)
      6    `sms wait` saw no final status in time
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
email.add_command(senders)


def main(args: list[str] | None = None, prog_name: str = "easify") -> None:
    """Run the ``easify`` command (the console script's entry point)."""
    cli.main(args=args, prog_name=prog_name)
