"""Time zone and datetime helpers shared by clocks, filters and adjustments.

Every schedule datetime is timezone-aware and carries a `zoneinfo.ZoneInfo`, so it can
be written as an ISO 8601 string plus an IANA zone name and read back unchanged.
"""

from __future__ import annotations

import difflib
import math
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from proctor.core.errors import ScheduleError

ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
UTC_ZONE = ZoneInfo("UTC")

TimezoneLike = str | tzinfo
"""An IANA zone name such as "Europe/Berlin", a `ZoneInfo`, or `datetime.UTC`."""

_ZONE_EXAMPLES = "an IANA name such as 'Europe/Berlin', 'America/New_York' or 'UTC'"


def _zone_suggestion(name: str) -> str:
    """Return ' (did you mean ...?)' for a misspelt zone name, or ''."""
    from zoneinfo import available_timezones

    known = available_timezones()
    by_lower = {key.lower(): key for key in known}
    match = by_lower.get(name.strip().lower())
    if match is None:
        close = difflib.get_close_matches(name.strip(), known, n=1, cutoff=0.8)
        match = close[0] if close else None
    return f" (did you mean {match!r}?)" if match else ""


def is_utc(zone: tzinfo) -> bool:
    """True for the UTC zone in any of its spellings (ZoneInfo, datetime.UTC, dateutil)."""
    if isinstance(zone, ZoneInfo):
        return zone.key in {"UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"}
    return zone.utcoffset(None) == timedelta(0) and zone.tzname(None) in {"UTC", "Z"}


def describe_zone(zone: tzinfo) -> str:
    """A readable name for a tzinfo in error messages, e.g. "'UTC+02:00'"."""
    try:
        name = zone.tzname(None)
    except (NotImplementedError, TypeError, ValueError):
        name = None
    return repr(name) if name else repr(zone)


def resolve_timezone(value: object) -> ZoneInfo:
    """Turn a zone name or tzinfo into a ZoneInfo, or raise ScheduleError naming it."""
    if isinstance(value, ZoneInfo):
        if value.key is None:  # built with ZoneInfo.from_file
            raise ScheduleError(
                f"Time zone {value!r} has no IANA name, so a schedule using it could not be "
                f"stored; pass {_ZONE_EXAMPLES}."
            )
        return value
    if isinstance(value, tzinfo):
        if is_utc(value):
            return UTC_ZONE
        raise ScheduleError(
            f"Time zone {describe_zone(value)} has no IANA name, so a schedule using it "
            f"could not be stored; pass {_ZONE_EXAMPLES}."
        )
    if not isinstance(value, str):
        raise ScheduleError(f"Time zone must be {_ZONE_EXAMPLES}, got {value!r}.")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise ScheduleError(
        f"Unknown time zone {value!r}{_zone_suggestion(value)}; use {_ZONE_EXAMPLES}."
    )


def zone_of(dt: datetime | None) -> ZoneInfo | None:
    """The ZoneInfo of an aware datetime, if it has a usable one."""
    if dt is None or dt.tzinfo is None:
        return None
    if isinstance(dt.tzinfo, ZoneInfo):
        return dt.tzinfo if dt.tzinfo.key is not None else None
    return UTC_ZONE if is_utc(dt.tzinfo) else None


def pick_timezone(value: object, *dates: datetime | None) -> ZoneInfo:
    """The clock zone: `value` if given, else the zone of the first aware date, else UTC."""
    if value is not None:
        return resolve_timezone(value)
    for dt in dates:
        if isinstance(dt, datetime):
            zone = zone_of(dt)
            if zone is not None:
                return zone
    return UTC_ZONE


def utc(dt: datetime) -> datetime:
    """The same instant in UTC.

    Compare aware datetimes through this: Python compares two datetimes that share a
    tzinfo by their wall-clock fields, ignoring `fold`, so 02:30 CEST and the later
    02:30 CET of a fall-back night would compare equal.
    """
    return dt.astimezone(UTC)


def normalize(dt: datetime) -> datetime:
    """Map an aware datetime to a real wall-clock time of its own zone.

    A wall time inside a spring-forward gap moves forward by the length of the gap
    (02:30 on a day that skips 02:00-03:00 becomes 03:30); an ambiguous fall-back
    time keeps its `fold` (0 = the first of the two, the default).
    """
    zone = dt.tzinfo
    return dt.astimezone(UTC).astimezone(zone)


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Read a naive datetime as wall-clock time in `zone` (see `normalize`)."""
    return normalize(naive.replace(tzinfo=zone))


def is_imaginary(naive: datetime, zone: ZoneInfo) -> bool:
    """True if the wall time does not exist in `zone` (skipped by a DST change)."""
    aware = naive.replace(tzinfo=zone, fold=0)
    return normalize(aware).replace(tzinfo=None, fold=0) != naive.replace(fold=0)


def localize_gap_end(naive: datetime, zone: ZoneInfo) -> datetime:
    """Read wall time in `zone` the way cron does.

    An ambiguous time means its first occurrence; a time skipped by a DST change
    means the first valid moment after the gap (02:30 on a 02:00 -> 03:00 day
    becomes 03:00).
    """
    if not is_imaginary(naive, zone):
        return naive.replace(tzinfo=zone, fold=0)
    probe = naive.replace(second=0, microsecond=0, fold=0)
    while is_imaginary(probe, zone):
        probe += ONE_MINUTE
    return probe.replace(tzinfo=zone)


def as_aware(value: object, zone: ZoneInfo, what: str) -> datetime:
    """Check that `value` is a datetime and express it in `zone`.

    Naive datetimes are read as wall-clock time in `zone`.
    """
    if not isinstance(value, datetime):
        raise ScheduleError(f"{what} must be a datetime, got {value!r}.")
    if value.tzinfo is None:
        return localize(value, zone)
    return value.astimezone(zone)


def is_whole_days(delta: timedelta) -> bool:
    return delta != timedelta(0) and delta % ONE_DAY == timedelta(0)


def add_interval(dt: datetime, delta: timedelta) -> datetime:
    """Add `delta` to an aware datetime.

    Whole days keep the local wall-clock time across DST changes (a daily 09:00 stays
    09:00); anything else is an absolute duration.
    """
    zone = dt.tzinfo
    if is_whole_days(delta) and isinstance(zone, ZoneInfo):
        return localize(dt.replace(tzinfo=None) + delta, zone)
    return (dt.astimezone(UTC) + delta).astimezone(zone)


def coerce_interval(value: object, what: str) -> timedelta:
    """Accept a timedelta or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ScheduleError(f"{what} must be a finite number of seconds, got {value!r}.")
        try:
            return timedelta(seconds=value)
        except OverflowError:
            raise ScheduleError(f"{what} of {value!r} seconds is too large.") from None
    raise ScheduleError(
        f"{what} must be a datetime.timedelta or a number of seconds, got {value!r}."
    )


def interval_to_json(delta: timedelta) -> int | float:
    """Seconds as an int when whole, else a float (microsecond precision)."""
    whole = delta.days * 86_400 + delta.seconds
    if delta.microseconds == 0:
        return whole
    return whole + delta.microseconds / 1_000_000


def datetime_to_json(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()


def datetime_from_json(value: Any, what: str) -> datetime:
    """Parse an ISO 8601 string written by `datetime_to_json`."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ScheduleError(f"{what} must be an ISO 8601 datetime string, got {value!r}.")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ScheduleError(
            f"{what} {value!r} is not an ISO 8601 datetime such as '2024-01-31T09:00:00+01:00'."
        ) from None


def time_from_json(value: Any, what: str) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        raise ScheduleError(f"{what} must be a time string such as '09:30:00', got {value!r}.")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ScheduleError(f"{what} {value!r} is not a time such as '09:30:00'.") from None
