"""Sub-users of the main account, with their API tokens."""

from __future__ import annotations

from attrs import field, frozen

__all__ = ["SubUser"]


@frozen(kw_only=True)
class SubUser:
    """A sub-user of the main account, with its API token (``GET sub-user/tokens``).

    The token is a secret: it never shows in ``repr`` (hence in logs and tracebacks).
    Act as the sub-user with ``easify.with_options(api_token=sub.easify_api_token)``.

    Attributes:
        email: the sub-user's address.
        name: its name.
        easify_api_token: its API token.
    """

    email: str
    name: str = ""
    easify_api_token: str = field(default="", repr=False)
