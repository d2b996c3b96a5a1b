"""Phone numbers as ``sms/send`` reads them: national numbers per country, sender numbers.

Deliberately not the client's own checks (``easify_async._validation``): the sandbox
stands in for the server, so a mistake in the client's validation must show up here,
not pass twice. The rules are the ones that module documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ._php import loose_equals, php_string

__all__ = [
    "COUNTRY_CODES",
    "e164",
    "listed_country_code",
    "owned_number",
    "recipient_number",
]

#: The country codes ``sms/send`` serves, with the lengths of their national numbers.
COUNTRY_CODES = {"+1": range(10, 11), "+44": range(9, 11), "+972": range(8, 10)}
# Longest first, so that "+972..." is never read as "+9" + "72...".
_BY_LENGTH = sorted(COUNTRY_CODES, key=len, reverse=True)
_FORMATTING = re.compile(r"[\s().\-]")
_DIGITS = re.compile(r"[0-9]+")


def listed_country_code(given: Any, codes: Iterable[str] = COUNTRY_CODES) -> str | None:
    """The listed code that ``given`` names as the ``in:`` rule compares (``"1"`` is
    ``+1``), or ``None``."""
    text = php_string(given)
    return next((code for code in codes if loose_equals(text, code)), None)


def e164(number: str) -> str:
    """An account number as the API outputs it: E.164 (a national number is ``+1``)."""
    cleaned = _FORMATTING.sub("", number)
    return cleaned if cleaned.startswith("+") else f"+1{cleaned}"


def recipient_number(number: str, country_code: str) -> str | None:
    """The national number ``number`` stands for in ``country_code``, or ``None``.

    Spaces, dots, dashes and brackets are formatting; the UK and Israel dial a trunk
    ``0`` before the national number; a North American area code never starts with 0
    or 1.
    """
    national = _FORMATTING.sub("", number)
    if country_code != "+1" and national.startswith("0"):
        national = national[1:]
    if not _DIGITS.fullmatch(national) or len(national) not in COUNTRY_CODES[country_code]:
        return None
    if country_code == "+1" and national[0] in "01":
        return None
    return national


def owned_number(given: str, owned: Iterable[str]) -> str | None:
    """The account number (as the account lists it) that ``given`` names, or ``None``.

    ``given`` may be national or carry its country code, and may be formatted; an owned
    number listed in E.164 only matches a ``given`` of the same country.
    """
    code, national = _split(given)
    for number in owned:
        owned_code, owned_national = _split(number)
        same_country = code is None or owned_code is None or code == owned_code
        if owned_national == national and same_country:
            return number
    return None


def _split(number: str) -> tuple[str | None, str]:
    cleaned = _FORMATTING.sub("", number)
    if not cleaned.startswith("+"):
        return None, cleaned
    code = next((c for c in _BY_LENGTH if cleaned.startswith(c)), None)
    if code is None:
        return None, cleaned  # not a country the API serves: never one of its numbers
    national = cleaned[len(code) :]
    if code != "+1" and national.startswith("0"):
        national = national[1:]
    return code, national
