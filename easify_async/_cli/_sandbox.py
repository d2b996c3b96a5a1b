"""``easify sandbox``: serve a local Easify API until interrupted."""

from __future__ import annotations

import click

from ._options import deprecated_alias

__all__ = ["sandbox"]


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8025, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--rate-period",
    "period",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds of a rate-limit window; clients pass the same --rate-period.",
)
@deprecated_alias("--period", "--rate-period")  # one name for the window, server and client
def sandbox(port: int, host: str, period: float) -> None:
    """Serve the sandbox (a faithful local Easify API) with uvicorn until Ctrl-C.

    \b
    Then, in another shell:
      easify --help
      easify sms send --base-url http://127.0.0.1:8025/api/v2 --rate-period 60 ...
    """
    from ..sandbox import serve_forever

    try:
        serve_forever(port=port, period=period, host=host)
    except OSError as exc:  # a busy port, an address not of this machine: exit 2
        raise click.BadParameter(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", param_hint="--port"
        ) from None
