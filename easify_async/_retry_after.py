"""How long a 429 asks us to wait."""

from __future__ import annotations

import re

import httpx

__all__ = ["server_wait"]

_TRY_AGAIN = re.compile(rb"Try again in (\d+(?:\.\d+)?) second", re.IGNORECASE)


def server_wait(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying, from ``Retry-After`` or the body's "Try again in N".

    The server rounds its wait down to whole seconds (spec §4.5), so the stated ``N`` may
    be up to a second early: the answer is ``max(N, 1) + 1``. ``None`` if neither says.
    The response body must have been read.
    """
    stated: float | None = None
    header = response.headers.get("Retry-After", "").strip()
    try:
        stated = float(header) if header else None
    except ValueError:
        stated = None  # an HTTP-date: Laravel never sends one, the body still says N
    if stated is None:
        match = _TRY_AGAIN.search(response.content)
        stated = float(match.group(1)) if match else None
    return None if stated is None else max(stated, 1.0) + 1.0
