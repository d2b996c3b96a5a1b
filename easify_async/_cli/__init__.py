"""The ``easify`` command line (extra ``cli``: click and rich, imported only here)."""

from ._main import main

__all__ = ["main"]
