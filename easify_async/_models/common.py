"""What several calls reply: the bare acknowledgement of a call that returns no data."""

from __future__ import annotations

from attrs import frozen

__all__ = ["Acknowledged"]


@frozen(kw_only=True)
class Acknowledged:
    """The reply of a call that returns no data (a delete): only its message."""

    message: str = ""
