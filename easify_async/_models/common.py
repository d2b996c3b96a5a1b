"""What several calls reply: the bare acknowledgement of a call that returns no data."""

from __future__ import annotations

from typing import ClassVar

from attrs import frozen

__all__ = ["Acknowledged"]


@frozen(kw_only=True)
class Acknowledged:
    """The reply of a call that returns no data (a delete): only its message."""

    message: str = ""

    # Its `message` is the reply envelope's (``HttpCore.call``); other models keep theirs.
    _envelope_message: ClassVar[bool] = True
