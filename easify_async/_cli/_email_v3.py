"""``easify email send`` to several recipients: the v3 send, and what it cannot do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ._output import flag_names

if TYPE_CHECKING:
    from .._client import AsyncEasify
    from ..models import EmailSent

__all__ = ["V3_ONLY", "check_v3", "needs_v3", "send_v3"]

#: What v3 has no field for: a send that needs v3 and one of these is a usage error.
V3_ONLY = ("enable_unsubscribe", "schedule_time", "schedule_timezone")


def needs_v3(receivers: tuple[str, ...], cc: tuple[str, ...], bcc: tuple[str, ...]) -> bool:
    """Whether the recipients take the v3 send (several --to, or any --cc/--bcc)."""
    return len(receivers) > 1 or bool(cc) or bool(bcc)


def check_v3(arguments: dict[str, Any]) -> None:
    """A usage error for an option v3 lacks (before anything is sent)."""
    flags = flag_names()
    given = [flags.get(name, name) for name in V3_ONLY if arguments.get(name)]
    if given:
        raise click.UsageError(
            f"{', '.join(given)}: not available with several --to, --cc or --bcc (API v3)"
        )


async def send_v3(
    easify: AsyncEasify,
    sender: str,
    receivers: tuple[str, ...],
    cc: tuple[str, ...],
    bcc: tuple[str, ...],
    attachment: Any,
    arguments: dict[str, Any],
) -> EmailSent:
    """Send through ``easify.v3.email.send``; ``arguments`` are the v2 command's others."""
    v3_fields = {k: v for k, v in arguments.items() if k not in V3_ONLY}
    return await easify.v3.email.send(
        sender, list(receivers), cc=list(cc), bcc=list(bcc), attachment=attachment, **v3_fields
    )
