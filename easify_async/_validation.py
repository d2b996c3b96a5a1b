"""Argument checks and normalisation, done before any request or rate-limit slot."""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from typing import IO, Union

from attrs import frozen

from .errors import (
    CountryCodeConflictError,
    InvalidEmailError,
    InvalidFileError,
    InvalidPhoneNumberError,
    InvalidScheduleError,
    UnsupportedCountryError,
)

__all__ = [
    "SUPPORTED_COUNTRY_CODES",
    "FileInput",
    "Upload",
    "check_email",
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
# Deliberately loose (RFC 5322 is not worth matching): one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_SCHEDULE_FORMAT = "%Y-%m-%d %H:%M:%S"

FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


def split_phone_number(argument: str, number: str, country_code: str | None) -> tuple[str, str]:
    """``(country_code, national_number)`` from a national or E.164 number.

    Example:
        >>> split_phone_number("to_number", "+44 7700 900123", None)
        ('+44', '7700900123')
    """
    if not isinstance(number, str):
        raise InvalidPhoneNumberError(argument, f"expected a string, got {type(number).__name__}")
    cleaned = _SEPARATORS.sub("", number)
    given_code = _normalise_country_code(country_code) if country_code is not None else None
    if cleaned.startswith("+"):
        code = next((c for c in _CODES_BY_LENGTH if cleaned.startswith(c)), None)
        if code is None:
            raise UnsupportedCountryError(
                argument, f"{number!r} is not in a supported country ({_supported()})"
            )
        if given_code is not None and given_code != code:
            raise CountryCodeConflictError(
                "country_code", f"{country_code!r} conflicts with {argument}={number!r}"
            )
        national = cleaned[len(code) :]
    else:
        if given_code is None:
            raise InvalidPhoneNumberError(
                argument, f"{number!r} has no country code: pass E.164 (+1...) or country_code"
            )
        code, national = given_code, cleaned
    if code != "+1" and national.startswith("0"):
        national = national[1:]  # the UK and Israel dial a trunk 0 before national numbers
    if not _DIGITS.fullmatch(national) or len(national) not in SUPPORTED_COUNTRY_CODES[code]:
        raise InvalidPhoneNumberError(argument, f"{number!r} is not a valid {code} number")
    return code, national


def sender_number(number: str, argument: str = "from_number") -> str:
    """An Easify number in the national form ``from_number`` wants (E.164 accepted).

    Its country is the sender's own, unrelated to the recipient's ``country_code``.
    ``argument`` names the parameter in errors (``sms/report`` calls it ``sender``).
    """
    if isinstance(number, str) and _SEPARATORS.sub("", number).startswith("+"):
        return split_phone_number(argument, number, None)[1]
    cleaned = _SEPARATORS.sub("", number) if isinstance(number, str) else ""
    if not _DIGITS.fullmatch(cleaned) or not 6 <= len(cleaned) <= 14:
        raise InvalidPhoneNumberError(argument, f"{number!r} is not a phone number")
    return cleaned


def _normalise_country_code(country_code: str) -> str:
    code = country_code.strip() if isinstance(country_code, str) else ""
    code = code if code.startswith("+") else f"+{code}"
    if code not in SUPPORTED_COUNTRY_CODES:
        raise UnsupportedCountryError(
            "country_code", f"{country_code!r} is not supported ({_supported()})"
        )
    return code


def _supported() -> str:
    return ", ".join(SUPPORTED_COUNTRY_CODES)


def check_email(argument: str, address: str) -> str:
    """The address, stripped, or `InvalidEmailError` naming ``argument``."""
    if not isinstance(address, str) or not _EMAIL.fullmatch(address.strip()):
        raise InvalidEmailError(argument, f"{address!r} is not an email address")
    return address.strip()


@frozen
class Upload:
    """A file read into memory, so that a retried request can send it again."""

    filename: str
    content: bytes


def read_upload(argument: str, value: FileInput) -> Upload:
    """Read a path, bytes or binary file object; `InvalidFileError` if that fails."""
    if isinstance(value, bytes):
        return Upload(argument, value)
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            with open(path, "rb") as file:
                return Upload(os.path.basename(path), file.read())
        except OSError as exc:
            raise InvalidFileError(argument, f"cannot read {path!r}: {exc.strerror}") from exc
    read = getattr(value, "read", None)
    if read is None:
        raise InvalidFileError(argument, f"expected a path, bytes or a binary file, got {value!r}")
    content = read()
    if not isinstance(content, bytes):
        raise InvalidFileError(argument, "the file object must be opened in binary mode")
    name = os.path.basename(str(getattr(value, "name", argument)))
    return Upload(name, content)


def schedule_fields(
    schedule_time: dt.datetime | str | None, schedule_timezone: str | None
) -> tuple[str | None, str | None]:
    """The API's ``schedule_time`` text and ``schedule_timezone`` from the user's values.

    An aware datetime gives its wall time in its own zone and that zone's IANA name; a
    naive one or a string is taken as wall time in ``schedule_timezone`` (or, when that
    is omitted, the account's zone).
    """
    if schedule_timezone is not None:
        try:
            zone = zoneinfo.ZoneInfo(schedule_timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidScheduleError(
                "schedule_timezone", f"{schedule_timezone!r} is not an IANA time zone"
            ) from exc
    if schedule_time is None:
        if schedule_timezone is not None:
            raise InvalidScheduleError("schedule_timezone", "given without schedule_time")
        return None, None
    if isinstance(schedule_time, str):
        try:
            dt.datetime.strptime(schedule_time, _SCHEDULE_FORMAT)
        except ValueError as exc:
            raise InvalidScheduleError(
                "schedule_time", f"{schedule_time!r} is not 'YYYY-MM-DD HH:MM:SS'"
            ) from exc
        return schedule_time, schedule_timezone
    if not isinstance(schedule_time, dt.datetime):
        raise InvalidScheduleError("schedule_time", "expected a datetime or 'YYYY-MM-DD HH:MM:SS'")
    if schedule_time.tzinfo is None:
        return schedule_time.strftime(_SCHEDULE_FORMAT), schedule_timezone
    if schedule_time < dt.datetime.now(dt.timezone.utc):
        raise InvalidScheduleError("schedule_time", f"{schedule_time.isoformat()} is in the past")
    own_zone = _iana_name(schedule_time.tzinfo)
    if schedule_timezone is not None:
        if schedule_time.utcoffset() != schedule_time.astimezone(zone).utcoffset():
            raise InvalidScheduleError(
                "schedule_timezone",
                f"{schedule_timezone!r} conflicts with the zone of {schedule_time.isoformat()}",
            )
        return schedule_time.astimezone(zone).strftime(_SCHEDULE_FORMAT), schedule_timezone
    if own_zone is None:
        raise InvalidScheduleError(
            "schedule_time",
            f"the zone of {schedule_time.isoformat()} has no IANA name: use a ZoneInfo "
            "datetime or pass schedule_timezone",
        )
    return schedule_time.strftime(_SCHEDULE_FORMAT), own_zone


def _iana_name(tzinfo: dt.tzinfo) -> str | None:
    if isinstance(tzinfo, zoneinfo.ZoneInfo):
        return tzinfo.key
    if tzinfo is dt.timezone.utc:
        return "UTC"
    return None
