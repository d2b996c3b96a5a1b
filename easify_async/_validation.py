"""Argument checks and normalisation, done before any request or rate-limit slot.

The schedule checks live in `_schedule` and are re-exported here with the rest.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection
from typing import IO, TypeGuard, Union

import httpx
from attrs import frozen

from ._schedule import schedule_fields
from ._secrets import Secret
from .errors import (
    ArgumentError,
    CountryCodeConflictError,
    InvalidEmailError,
    InvalidFileError,
    InvalidJournalError,
    InvalidPhoneNumberError,
    UnsupportedCountryError,
)

__all__ = [
    "SUPPORTED_COUNTRY_CODES",
    "FileInput",
    "Upload",
    "check_base_url",
    "check_email",
    "check_instant",
    "check_journal_path",
    "check_seconds",
    "check_wait",
    "check_token",
    "read_upload",
    "schedule_fields",
    "sender_number",
    "split_phone_number",
]

#: The country codes ``sms/send`` serves (US/CA, UK, IL), with their national lengths.
SUPPORTED_COUNTRY_CODES: dict[str, range] = {
    "+1": range(10, 11),
    "+44": range(9, 11),
    "+972": range(8, 10),
}
# Longest first, so "+972..." is never read as "+9" + "72...".
_CODES_BY_LENGTH = sorted(SUPPORTED_COUNTRY_CODES, key=len, reverse=True)
_SEPARATORS = re.compile(r"[\s().\-]")
_DIGITS = re.compile(r"\d+")
_PHONE = re.compile(r"\+?\d+")  # once separators are gone: digits, perhaps after a +
# Deliberately loose (RFC 5322 is not worth matching): one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

#: A file to upload: a path, bytes, a binary file object, or ``(filename, bytes)``.
FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes], tuple[str, bytes]]


def split_phone_number(
    argument: str,
    number: str,
    country_code: str | None,
    *,
    codes: Collection[str] = SUPPORTED_COUNTRY_CODES,
) -> tuple[str, str]:
    """``(country_code, national_number)`` from a national or international number.

    An international number starts with ``+`` (E.164) or ``00``, the international
    prefix dialled in the UK and Israel; either implies the country code. A ``+1``
    number is 10 digits whose area code starts with 2-9 (North America's rule).
    ``codes`` are the country codes the call takes (contacts take no +44): errors offer
    only those.

    Examples:
        >>> split_phone_number("to_number", "+44 7700 900123", None)
        ('+44', '7700900123')
        >>> split_phone_number("to_number", "0044 7700 900123", None)
        ('+44', '7700900123')
    """
    if not isinstance(number, str):
        raise InvalidPhoneNumberError(argument, f"expected a string, got {type(number).__name__}")
    cleaned = _SEPARATORS.sub("", number)
    if not _PHONE.fullmatch(cleaned):  # no country code would make it a number
        raise InvalidPhoneNumberError(argument, f"{number!r} is not a phone number")
    given_code = _normalise_country_code(country_code, codes) if country_code is not None else None
    international = _international_digits(cleaned)
    if international is not None:
        code = next((c for c in _CODES_BY_LENGTH if international.startswith(c[1:])), None)
        if code is None or code not in codes:
            raise UnsupportedCountryError(
                argument, f"{number!r} is not in a supported country ({_listed(codes)})"
            )
        if given_code is not None and given_code != code:
            raise CountryCodeConflictError(
                "country_code", f"{country_code!r} conflicts with {argument}={number!r}"
            )
        national = international[len(code) - 1 :]
    else:
        if given_code is None:
            examples = ", ".join(f"{c}..." for c in codes)
            raise InvalidPhoneNumberError(
                argument,
                f"{number!r} has no country code: pass it international ({examples}) "
                "or pass country_code",
            )
        code, national = given_code, cleaned
    if code != "+1" and national.startswith("0"):
        national = national[1:]  # the UK and Israel dial a trunk 0 before national numbers
    if not _DIGITS.fullmatch(national) or len(national) not in SUPPORTED_COUNTRY_CODES[code]:
        raise InvalidPhoneNumberError(argument, f"{number!r} is not a valid {code} number")
    if code == "+1" and national[0] in "01":
        # The server answers InvalidRecipient! for these (the sandbox does the same).
        raise InvalidPhoneNumberError(
            argument,
            f"{number!r} is not a valid +1 number: "
            f"a North American area code ({national[:3]}) cannot start with 0 or 1",
        )
    return code, national


def sender_number(number: str, argument: str = "from_number") -> str:
    """An Easify number in the national form ``from_number`` wants (E.164 accepted).

    Its country is the sender's own, unrelated to the recipient's ``country_code``.
    ``argument`` names the parameter in errors (``sms/report`` calls it ``sender``).
    """
    cleaned = _SEPARATORS.sub("", number) if isinstance(number, str) else ""
    if _international_digits(cleaned) is not None:
        return split_phone_number(argument, number, None)[1]
    if not _DIGITS.fullmatch(cleaned) or not 6 <= len(cleaned) <= 14:
        raise InvalidPhoneNumberError(argument, f"{number!r} is not a phone number")
    return cleaned


def _international_digits(cleaned: str) -> str | None:
    # No national number of a supported country starts with 00 (UK and Israeli ones start
    # with a single trunk 0, North American ones with 2-9), so "00" is never ambiguous.
    # 011, North America's international prefix, is left alone: Leeds numbers start 0113.
    for prefix in ("+", "00"):
        if cleaned.startswith(prefix):
            return cleaned[len(prefix) :]
    return None


def _normalise_country_code(
    country_code: str, codes: Collection[str] = SUPPORTED_COUNTRY_CODES
) -> str:
    code = country_code.strip() if isinstance(country_code, str) else ""
    code = code if code.startswith("+") else f"+{code}"
    if code not in codes:
        raise UnsupportedCountryError(
            "country_code", f"{country_code!r} is not supported ({_listed(codes)})"
        )
    return code


def _listed(codes: Collection[str]) -> str:
    return ", ".join(codes)


def check_seconds(argument: str, value: float) -> float:
    """``value`` if it is a finite number of seconds above 0 (NaN would compare false).

    Raises:
        ArgumentError: it is not.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ArgumentError(argument, f"must be a finite number of seconds above 0, not {value!r}")
    return float(value)


def check_wait(argument: str, value: float) -> float:
    """``value`` if it is 0 or more seconds to wait (``math.inf``: no limit); not NaN.

    Raises:
        ArgumentError: it is not.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isnan(value)
        or value < 0
    ):
        raise ArgumentError(argument, f"must be 0 or more seconds, not {value!r}")
    return float(value)


def check_instant(argument: str, value: float) -> float:
    """``value`` if it is a finite UNIX time (NaN compares false, so would pass any check).

    Raises:
        ArgumentError: it is not.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ArgumentError(argument, f"must be a finite UNIX time in seconds, not {value!r}")
    return float(value)


def check_token(value: object, *, source: str = "api_token") -> Secret:
    """The API token, stripped and held as a `Secret`, if it can go in a header.

    The message never quotes the token; ``source`` says where it came from.

    Raises:
        ArgumentError: it is missing, blank, not a string, or holds a character a header
            cannot carry (outside printable ASCII: a pasted no-break space, a newline).
    """
    problem = _token_problem(value)
    if problem is None:
        return Secret(str(value).strip())
    del value  # this error's traceback may show this frame's locals
    origin = "" if source == "api_token" else f" (from {source})"
    raise ArgumentError("api_token", f"{problem}{origin}")


def _token_problem(value: object) -> str | None:
    if value is None:
        return "missing: pass api_token= or set EASIFY_API_TOKEN"
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__}"
    if not value.strip():
        return "must not be empty"
    for position, char in enumerate(value.strip()):
        if not "!" <= char <= "~":
            return (
                f"holds U+{ord(char):04X} at position {position}, which a token never holds"
                " (only printable ASCII: a pasted space?)"
            )
    return None


def check_email(argument: str, address: str) -> str:
    """The address, stripped, or `InvalidEmailError` naming ``argument``."""
    if not isinstance(address, str) or not _EMAIL.fullmatch(address.strip()):
        raise InvalidEmailError(argument, f"{address!r} is not an email address")
    return address.strip()


def check_base_url(value: object, *, source: str = "base_url") -> str:
    """``value`` without surrounding blanks or trailing ``/``, if it is a usable API root.

    It needs an ``http``/``https`` scheme and a host, and no query, fragment or
    credentials (they would be glued to every call's path, or shown in ``repr``).
    ``source`` says where the value came from, for the message.
    """
    if not isinstance(value, str):
        raise ArgumentError("base_url", f"expected a string, got {type(value).__name__}")
    text = value.strip()
    origin = "" if source == "base_url" else f" (from {source})"
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ArgumentError("base_url", f"{text!r} is not a URL: {exc}{origin}") from None
    if url.scheme in ("http", "https") and "://" not in text:
        problem = f"needs '//' after '{url.scheme}:'"
    elif "://" not in text:
        example = "http://" + text.lstrip("/")
        problem = f"has no scheme: start it with https:// (or http://, e.g. {example!r})"
    elif url.scheme not in ("http", "https"):
        problem = f"has the scheme {url.scheme!r}: use https:// (or http:// for a local server)"
    elif not url.host:
        problem = "has no host"
    elif any(char.isspace() for char in text):
        problem = "contains a blank"
    elif "?" in text or "#" in text:
        problem = "has a query or a fragment: give the API root alone, e.g. .../api/v2"
    elif url.userinfo:
        problem = "carries credentials: the API token goes in api_token="
    elif url.port is not None and not 0 < url.port < 65536:
        problem = f"has the port {url.port}, outside 1-65535"
    else:
        return text.rstrip("/")
    raise ArgumentError("base_url", f"{text!r} {problem}{origin}")


@frozen
class Upload:
    """A file read into memory, so that a retried request can send it again."""

    filename: str
    content: bytes


def is_named_file(value: object) -> TypeGuard[tuple[str, bytes]]:
    """Whether ``value`` is a ``(filename, bytes)`` pair (one file, not a list of two)."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], bytes)
    )


def read_upload(argument: str, value: FileInput) -> Upload:
    """Read a path, bytes, a binary file object or ``(filename, bytes)``; `InvalidFileError`
    if that fails or is empty.

    Bare bytes go up named after the argument (``attachment``, ``media``): give
    ``(filename, bytes)`` to name them.
    """
    if is_named_file(value):
        name, content = value
        if not name.strip():
            raise InvalidFileError(argument, "has an empty filename: name the file")
        if not content:
            raise InvalidFileError(argument, f"{name!r} is empty (b''): give the file's content")
        return Upload(os.path.basename(name), content)
    if isinstance(value, bytes):
        if not value:
            raise InvalidFileError(argument, "is empty (b''): give the file's content")
        return Upload(argument.partition("[")[0], value)  # "attachment", never "attachment[0]"
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if not path:
            raise InvalidFileError(argument, "is an empty path")
        try:
            with open(path, "rb") as file:
                content = file.read()
        except OSError as exc:
            raise InvalidFileError(argument, f"cannot read {path!r}: {exc.strerror}") from exc
        if not content:
            raise InvalidFileError(argument, f"{path!r} is an empty file")
        return Upload(os.path.basename(path), content)
    read = getattr(value, "read", None)
    if read is None:
        raise InvalidFileError(argument, f"expected a path, bytes or a binary file, got {value!r}")
    content = read()
    if not isinstance(content, bytes):
        raise InvalidFileError(argument, "the file object must be opened in binary mode")
    name = os.path.basename(str(getattr(value, "name", argument)))
    if not content:
        raise InvalidFileError(
            argument, f"the file object {name!r} gave no bytes (empty, or already read?)"
        )
    return Upload(name, content)


def check_journal_path(argument: str, path: object) -> str:
    """``path`` as the ``str`` a journal file is opened by, checked before anything runs.

    Raises:
        ArgumentError: it is not a path (or is a bytes path).
        InvalidJournalError: it holds a NUL character, which no file name can.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentError(argument, f"expected a path, got {type(path).__name__}")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise ArgumentError(argument, "expected a str path, got bytes")
    if "\0" in name:
        raise InvalidJournalError(name, "holds a NUL character, which no file name can")
    return name
