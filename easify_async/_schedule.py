"""``schedule_time`` and ``schedule_timezone``: every form checked in its zone, then encoded."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from .errors import InvalidScheduleError

if TYPE_CHECKING:
    import zoneinfo

__all__ = ["schedule_fields"]

_SCHEDULE_FORMAT = "%Y-%m-%d %H:%M:%S"
# The westernmost offset of any zone (Baker Island): a wall time earlier than now there
# is in the past in every zone, whichever the account's is.
_LAST_ZONE = dt.timezone(dt.timedelta(hours=-12))


def schedule_fields(
    schedule_time: dt.datetime | str | None, schedule_timezone: str | None
) -> tuple[str | None, str | None]:
    """The API's ``schedule_time`` text and ``schedule_timezone`` from the user's values.

    Every form is refused when it is in the past, checked in its zone:

    - an aware datetime: its own zone (named by ``schedule_timezone``, which must agree
      with it, or else by its ``ZoneInfo`` key);
    - a naive datetime: wall time in ``schedule_timezone``, which it needs (a naive
      datetime alone says no zone: ``datetime.now()`` on a UTC server is not New York's);
    - the API's ``"YYYY-MM-DD HH:MM:SS"``: wall time in ``schedule_timezone``, or, without
      it, in the account's zone. That zone is unknown here, so such a string is refused
      only when it is past in every zone (more than 12 hours behind UTC's wall clock).

    A wall time the zone skips (clocks going forward) is refused too.
    """
    zone = _zone(schedule_timezone) if schedule_timezone is not None else None
    if schedule_time is None:
        if zone is not None:
            raise InvalidScheduleError("schedule_timezone", "given without schedule_time")
        return None, None
    now = dt.datetime.now(dt.timezone.utc)
    if isinstance(schedule_time, str):
        wall = _parse_wall_time(schedule_time)
        if zone is None:
            if wall.replace(tzinfo=_LAST_ZONE) < now:
                raise InvalidScheduleError(
                    "schedule_time", f"{schedule_time!r} is in the past in every time zone"
                )
            return wall.strftime(_SCHEDULE_FORMAT), None
        return _wall_text(wall, zone, now), zone.key
    if not isinstance(schedule_time, dt.datetime):
        raise InvalidScheduleError("schedule_time", "expected a datetime or 'YYYY-MM-DD HH:MM:SS'")
    if schedule_time.utcoffset() is None:
        if zone is None:
            raise InvalidScheduleError(
                "schedule_time",
                f"the naive datetime {schedule_time.isoformat()} names no zone: pass an aware "
                "datetime (tzinfo=ZoneInfo('America/New_York')) or "
                "schedule_timezone='America/New_York'",
            )
        return _wall_text(schedule_time.replace(tzinfo=None), zone, now), zone.key
    return _aware_fields(schedule_time, zone, now)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    import zoneinfo  # on the first schedule: importing it costs every user ~2.5 ms

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError) as exc:
        raise InvalidScheduleError(
            "schedule_timezone", f"{name!r} is not an IANA time zone"
        ) from exc


def _parse_wall_time(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, _SCHEDULE_FORMAT)
    except ValueError as exc:
        raise InvalidScheduleError(
            "schedule_time", f"{text!r} is not 'YYYY-MM-DD HH:MM:SS'"
        ) from exc


def _wall_text(wall: dt.datetime, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> str:
    """``wall`` (naive) as the API's text, if it exists in ``zone`` and is not past there."""
    aware = wall.replace(tzinfo=zone)
    try:
        # A wall time the zone skips does not survive the round trip through UTC.
        exists = aware.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) == wall
    except OverflowError:
        raise InvalidScheduleError(
            "schedule_time", f"{wall.isoformat()} is out of range in {zone.key}"
        ) from None
    if not exists:
        raise InvalidScheduleError(
            "schedule_time",
            f"{wall:{_SCHEDULE_FORMAT}} does not exist in {zone.key} (clocks skip it)",
        )
    if aware < now:
        raise InvalidScheduleError(
            "schedule_time",
            f"{wall:{_SCHEDULE_FORMAT}} in {zone.key} is in the past "
            f"(it is {now.astimezone(zone):{_SCHEDULE_FORMAT}} there now)",
        )
    return wall.strftime(_SCHEDULE_FORMAT)


def _aware_fields(
    schedule_time: dt.datetime, zone: zoneinfo.ZoneInfo | None, now: dt.datetime
) -> tuple[str, str]:
    if schedule_time < now:
        raise InvalidScheduleError("schedule_time", f"{schedule_time.isoformat()} is in the past")
    if zone is not None:
        try:
            local = schedule_time.astimezone(zone)
        except OverflowError:
            raise InvalidScheduleError(
                "schedule_time", f"{schedule_time.isoformat()} is out of range in {zone.key}"
            ) from None
        if schedule_time.utcoffset() != local.utcoffset():
            raise InvalidScheduleError(
                "schedule_timezone",
                f"{zone.key!r} conflicts with the zone of {schedule_time.isoformat()}",
            )
        return local.strftime(_SCHEDULE_FORMAT), zone.key
    tzinfo = schedule_time.tzinfo
    # A ZoneInfo datetime means zoneinfo is imported already: no need to import it here.
    zones = sys.modules.get("zoneinfo")
    if zones is not None and isinstance(tzinfo, zones.ZoneInfo):
        return _wall_text(schedule_time.replace(tzinfo=None), tzinfo, now), tzinfo.key
    if tzinfo is dt.timezone.utc:
        return schedule_time.strftime(_SCHEDULE_FORMAT), "UTC"
    raise InvalidScheduleError(
        "schedule_time",
        f"the zone of {schedule_time.isoformat()} has no IANA name: use a ZoneInfo "
        "datetime or pass schedule_timezone",
    )
