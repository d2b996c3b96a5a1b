"""The few PHP value semantics Laravel's validation rules rest on.

A Laravel rule sees PHP values: ``(string) true`` is ``"1"``, ``"+1" == "1"`` is true
(numeric strings compare as numbers), ``filter_var("01", FILTER_VALIDATE_INT)`` fails.
Reproducing those few facts is what makes the sandbox refuse and accept what the
backend refuses and accepts.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

__all__ = ["filter_int", "loose_equals", "php_string"]

# PHP 8 numeric strings: surrounding whitespace allowed, a sign, digits, a fraction, an exponent.
_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*")
_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_INT64 = range(-(2**63), 2**63)


def php_string(value: Any) -> str:
    """``(string) $value``: booleans as ``"1"``/``""``, integral floats without ``.0``."""
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (list, dict)):
        return "Array"
    return str(value)


def loose_equals(left: str, right: str) -> bool:
    """PHP 8's ``==`` between two strings: numerically when both are numeric strings."""
    if _NUMERIC.fullmatch(left) and _NUMERIC.fullmatch(right):
        return Decimal(left.strip()) == Decimal(right.strip())
    return left == right


def filter_int(value: Any) -> int | None:
    """``filter_var($value, FILTER_VALIDATE_INT)``, ``None`` where PHP gives false."""
    if isinstance(value, bool):
        return 1 if value else None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if not isinstance(value, str):
        return None
    text = value.strip(" \t\n\r\v")
    if not _INT.fullmatch(text) or int(text) not in _INT64:
        return None
    return int(text)
