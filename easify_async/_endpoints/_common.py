"""Argument helpers shared by the endpoint groups."""

from __future__ import annotations

from .._validation import FileInput, Upload, read_upload
from ..errors import ArgumentError

__all__ = ["file_or_url", "has_text", "optional_text", "positive"]


def has_text(value: str | None) -> bool:
    """Whether a message is really there (not None, not blank)."""
    return value is not None and bool(value.strip())


def optional_text(argument: str, value: object) -> str | None:
    """``None``, or ``value`` as text (ints become strings); anything else is an error."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ArgumentError(argument, f"expected a string, got {type(value).__name__}")


def file_or_url(argument: str, value: FileInput) -> tuple[str | None, Upload | None]:
    """A URL string stays a URL; a path, bytes or file object becomes an upload."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value, None
    return None, read_upload(argument, value)


def positive(argument: str, value: int) -> int:
    """``value`` if it is a positive int, else `ArgumentError`."""
    if not isinstance(value, int) or value < 1:
        raise ArgumentError(argument, f"must be a positive integer, got {value!r}")
    return value
