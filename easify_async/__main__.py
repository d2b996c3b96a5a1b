"""``python -m easify_async``: the ``easify`` command line."""

from ._cli import main

main(prog_name="easify")
