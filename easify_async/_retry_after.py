"""How long a 429 asks us to wait, and the longest wait worth waiting."""

from __future__ import annotations

import email.utils
import math
import re
import time
from datetime import timezone

import httpx

__all__ = ["longest_wait", "server_wait"]

_SECONDS = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_TRY_AGAIN = re.compile(rb"Try again in (\d+(?:\.\d+)?) second", re.IGNORECASE)
_WINDOWS = 3
# The least any 429 makes the client wait: max(N, 1) + 1 for N = 0.
_LEAST_WAIT = 2.0


def longest_wait(period: float) -> float:
    """The longest server wait the client waits out, for a route of window ``period``.

    Laravel's window never asks for more than one period; three periods leave room for
    a late window and a second limiter in front, and the 2 s every 429 costs at least
    keep scaled-down periods usable. A longer stated wait is some other quota: the call
    fails at once with `RateLimitError` rather than holding every caller of the route.
    """
    return _WINDOWS * period + _LEAST_WAIT


def server_wait(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying, from ``Retry-After`` or the body's "Try again in N".

    ``Retry-After`` is read as whole or decimal ASCII seconds, or as an HTTP date
    (seconds from now, at least 0); anything else there (``nan``, ``inf``, ``-5``, other
    digits than ASCII) is ignored, and the body is read instead. The server rounds its
    wait down to whole seconds (spec §4.5), so the stated ``N`` may be up to a second
    early: the answer is ``max(N, 1) + 1``. ``None`` if neither says. A stated number too
    large for a float reads as ``inf``. The response body must have been read.
    """
    stated = _header_seconds(response.headers.get("Retry-After", ""))
    if stated is None:
        match = _TRY_AGAIN.search(response.content)
        stated = float(match.group(1)) if match else None
    return None if stated is None else max(stated, 1.0) + 1.0


def _header_seconds(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": the RFC's "UTC, source zone unknown"
        when = when.replace(tzinfo=timezone.utc)
    try:
        seconds = when.timestamp() - time.time()
    except (OverflowError, ValueError, OSError):
        return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None
