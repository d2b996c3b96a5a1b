"""The time zone names PHP's ``timezone_identifiers_list()`` gives (Laravel's ``timezone``).

PHP lists the canonical zones of the tz database, those of ``zone.tab`` and
``zone1970.tab``, plus ``UTC``; backward-compatible links (``US/Eastern``,
``Asia/Calcutta``) are not in it. The tables are read from the system's tz database;
where there is none, every name ``zoneinfo`` knows is taken.
"""

from __future__ import annotations

import functools
import os
import zoneinfo
from typing import Any

__all__ = ["is_php_timezone"]


@functools.cache
def _php_zones() -> frozenset[str]:
    names = {"UTC"}
    for directory in zoneinfo.TZPATH:
        for table in ("zone.tab", "zone1970.tab"):
            try:
                with open(os.path.join(directory, table), encoding="utf-8") as file:
                    rows = [line.split("\t") for line in file if not line.startswith("#")]
            except OSError:
                continue
            names.update(row[2].strip() for row in rows if len(row) >= 3)
    return frozenset(names) if len(names) > 1 else frozenset(zoneinfo.available_timezones())


def is_php_timezone(value: Any) -> bool:
    """Whether ``value`` is one of PHP's time zone identifiers (case-sensitive)."""
    return isinstance(value, str) and value in _php_zones()
