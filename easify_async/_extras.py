"""One line naming the extra to install, instead of a traceback, when an extra is missing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MissingExtraError", "needs_extra"]


class MissingExtraError(ModuleNotFoundError):
    """A module of an optional extra is not installed; the message says what to install.

    A `ModuleNotFoundError`, so code that already catches that (to fall back when an
    extra is absent) keeps working.

    Attributes:
        extra: the extra to install, e.g. ``"cli"``.
    """

    def __init__(self, extra: str, what: str, missing: str) -> None:
        super().__init__(
            f"{what} needs the {extra!r} extra ({missing!r} is not installed): "
            f'pip install "easify-async[{extra}]"',
            name=missing,
        )
        self.extra = extra


@contextmanager
def needs_extra(extra: str, what: str) -> Iterator[None]:
    """Turn a third-party module missing under this block into a `MissingExtraError`.

    Args:
        extra: the extra that provides the modules imported in the block.
        what: what needs them, as the user knows it (``"easify_async.sandbox"``).

    A module of this package that is missing is a bug, not a missing extra: it is
    re-raised as it is.
    """
    try:
        yield
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if isinstance(exc, MissingExtraError) or missing.partition(".")[0] in ("", "easify_async"):
            raise
        raise MissingExtraError(extra, what, missing) from exc
