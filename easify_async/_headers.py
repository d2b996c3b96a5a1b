"""Extra headers for every call of a client (`AsyncEasify.with_options`): checked once."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .errors import ArgumentError

__all__ = ["Headers", "check_headers", "merged"]

#: Names and values, in the order given; a name appears once (in any case).
Headers = tuple[tuple[str, str], ...]

# RFC 9110's token: what a field name may hold.
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: Set by the client (the token), never by an extra header.
_RESERVED = frozenset({"authorization"})


def check_headers(value: object, argument: str = "headers") -> Headers:
    """``value`` as `Headers`, if each name and value can go out as a header.

    A value is never quoted in a message, nor left in a local of a frame the error
    passes through (a traceback printed with locals): it may be a proxy's key.

    Raises:
        ArgumentError: not a mapping of strings to strings, an ``Authorization`` header
            (in any case), a name that is not a header name, a name given twice, or a
            value holding a character a header cannot carry (a newline, a NUL,
            anything outside printable ASCII but a space or tab).
    """
    checked, problem = _checked(value)
    if problem is None:
        return checked
    del value, checked  # the values stay out of this frame's locals
    raise ArgumentError(argument, problem)


def _checked(value: object) -> tuple[Headers, str | None]:
    """The headers and ``None``, or ``()`` and what is wrong: returned, not raised, so
    that no frame of the error holds a value."""
    if not isinstance(value, Mapping):
        return (), f"expected a mapping of names to values, got {type(value).__name__}"
    checked: dict[str, tuple[str, str]] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            return (), f"{name!r} is not a header name"
        if name.lower() in _RESERVED:
            return (), (
                f"may not set {name}: the client sends the token's (api_token=, or "
                "with_options(api_token=) for another token)"
            )
        if name.lower() in checked:
            return (), f"{name!r} is given twice (names have no case)"
        if not isinstance(text, str):
            return (), f"the value of {name!r} must be a string, got {type(text).__name__}"
        for position, char in enumerate(text):
            if not (" " <= char <= "~" or char == "\t"):
                return (), (
                    f"the value of {name!r} holds U+{ord(char):04X} at position {position}, "
                    "which a header cannot carry (only printable ASCII, spaces and tabs)"
                )
        checked[name.lower()] = (name, text.strip(" \t"))
    return tuple(checked.values()), None


def merged(old: Headers, new: Headers) -> Headers:
    """``old`` with ``new`` added, a name of ``new`` replacing the same name (any case)."""
    replaced = {name.lower() for name, _ in new}
    return (*(item for item in old if item[0].lower() not in replaced), *new)
