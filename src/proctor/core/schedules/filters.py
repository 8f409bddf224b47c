"""Schedule filters: serialisable tests that keep or drop a candidate start time.

A filter is called with a candidate datetime (timezone-aware, in its clock's zone) and
returns True to keep it. Filters read the clock's local wall-clock time: `is_weekday`
asks whether it is a weekday *in the clock's time zone*.

Filters are small frozen dataclasses rather than functions so that a schedule can be
written to JSON (`to_dict`) and rebuilt by the server (`filter_from_dict`).
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, ClassVar

from proctor.core.errors import ScheduleError
from proctor.core.schedules._payload import check_keys, payload_type
from proctor.core.schedules._time import datetime_from_json, time_from_json, utc

__all__ = [
    "AtTime",
    "BetweenDates",
    "BetweenDatetimes",
    "BetweenTimes",
    "Filter",
    "IsDayOfWeek",
    "IsMonthEnd",
    "IsMonthStart",
    "IsWeekday",
    "IsWeekend",
    "OnDate",
    "OnDatetime",
    "at_time",
    "between_dates",
    "between_datetimes",
    "between_times",
    "filter_from_dict",
    "is_day_of_week",
    "is_month_end",
    "is_month_start",
    "is_weekday",
    "is_weekend",
    "on_date",
    "on_datetime",
]


class Filter(ABC):
    """A test on a candidate start time; the time is kept when the filter returns True."""

    type_name: ClassVar[str]

    @abstractmethod
    def __call__(self, dt: datetime) -> bool:
        """Return True to keep `dt`."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict that `filter_from_dict` turns back into this filter."""
        return {"type": self.type_name, **self._params()}

    def _params(self) -> dict[str, Any]:
        return {}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what)
        return cls()


# -- validation helpers ------------------------------------------------------------------


def _check_int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScheduleError(f"{what} must be an int, got {value!r}.")
    return value


def _check_month_day(month: object, day: object, what: str) -> tuple[int, int]:
    m = _check_int(month, f"{what} month")
    d = _check_int(day, f"{what} day")
    if not 1 <= m <= 12:
        raise ScheduleError(f"{what} month must be 1-12, got {m!r}.")
    longest = 29 if m == 2 else calendar.monthrange(2001, m)[1]
    if not 1 <= d <= longest:
        raise ScheduleError(
            f"{what} day must be 1-{longest} for month {m}, got {d!r} ({m}/{d} never occurs)."
        )
    return m, d


def _check_time(value: object, what: str) -> time:
    if not isinstance(value, time):
        raise ScheduleError(f"{what} must be a datetime.time such as time(9, 30), got {value!r}.")
    if value.tzinfo is not None:
        raise ScheduleError(
            f"{what} {value!r} has a tzinfo; filters read the clock's local time, "
            "so pass a plain time such as time(9, 30) and set the clock's timezone instead."
        )
    return value


def _check_datetime(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ScheduleError(f"{what} must be a datetime, got {value!r}.")
    return value


def _key(dt: datetime, reference: datetime) -> datetime:
    """A comparison key for `dt` against `reference`.

    Naive references mean local wall-clock time; aware ones mean instants, compared in
    UTC (Python compares datetimes sharing a tzinfo by wall time, ignoring `fold`).
    """
    if reference.tzinfo is None:
        return dt.replace(tzinfo=None)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=reference.tzinfo)
    return utc(dt)


# -- filters without parameters ----------------------------------------------------------


@dataclass(frozen=True)
class IsWeekday(Filter):
    """Monday to Friday."""

    type_name: ClassVar[str] = "is_weekday"

    def __call__(self, dt: datetime) -> bool:
        return dt.weekday() < 5


@dataclass(frozen=True)
class IsWeekend(Filter):
    """Saturday or Sunday."""

    type_name: ClassVar[str] = "is_weekend"

    def __call__(self, dt: datetime) -> bool:
        return dt.weekday() >= 5


@dataclass(frozen=True)
class IsMonthStart(Filter):
    """The first day of a month."""

    type_name: ClassVar[str] = "is_month_start"

    def __call__(self, dt: datetime) -> bool:
        return dt.day == 1


@dataclass(frozen=True)
class IsMonthEnd(Filter):
    """The last day of a month (28th-31st depending on the month and year)."""

    type_name: ClassVar[str] = "is_month_end"

    def __call__(self, dt: datetime) -> bool:
        return dt.day == calendar.monthrange(dt.year, dt.month)[1]


is_weekday: Filter = IsWeekday()
"""Keep times that fall Monday to Friday (in the clock's time zone)."""
is_weekend: Filter = IsWeekend()
"""Keep times that fall on Saturday or Sunday."""
is_month_start: Filter = IsMonthStart()
"""Keep times on the first day of a month."""
is_month_end: Filter = IsMonthEnd()
"""Keep times on the last day of a month."""


# -- filters with parameters -------------------------------------------------------------


@dataclass(frozen=True)
class AtTime(Filter):
    """The local time of day equals `at` exactly."""

    at: time
    type_name: ClassVar[str] = "at_time"

    def __post_init__(self) -> None:
        _check_time(self.at, "at_time time")

    def __call__(self, dt: datetime) -> bool:
        return dt.time() == self.at

    def _params(self) -> dict[str, Any]:
        return {"at": self.at.isoformat()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["at"])
        return cls(time_from_json(data["at"], f"{what} at"))


@dataclass(frozen=True)
class BetweenTimes(Filter):
    """The local time of day lies in [start, end]; wraps past midnight if start > end."""

    start: time
    end: time
    type_name: ClassVar[str] = "between_times"

    def __post_init__(self) -> None:
        _check_time(self.start, "between_times start")
        _check_time(self.end, "between_times end")

    def __call__(self, dt: datetime) -> bool:
        t = dt.time()
        if self.start <= self.end:
            return self.start <= t <= self.end
        return t >= self.start or t <= self.end

    def _params(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["start", "end"])
        return cls(
            time_from_json(data["start"], f"{what} start"),
            time_from_json(data["end"], f"{what} end"),
        )


@dataclass(frozen=True)
class BetweenDates(Filter):
    """The calendar day lies between two (month, day) pairs, inclusive, in any year.

    Wraps over the year end when the start comes after the end (Dec 15 - Jan 15).
    """

    start_month: int
    start_day: int
    end_month: int
    end_day: int
    type_name: ClassVar[str] = "between_dates"

    def __post_init__(self) -> None:
        _check_month_day(self.start_month, self.start_day, "between_dates start")
        _check_month_day(self.end_month, self.end_day, "between_dates end")

    def __call__(self, dt: datetime) -> bool:
        key = (dt.month, dt.day)
        start = (self.start_month, self.start_day)
        end = (self.end_month, self.end_day)
        if start <= end:
            return start <= key <= end
        return key >= start or key <= end

    def _params(self) -> dict[str, Any]:
        return {
            "start_month": self.start_month,
            "start_day": self.start_day,
            "end_month": self.end_month,
            "end_day": self.end_day,
        }

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        keys = ["start_month", "start_day", "end_month", "end_day"]
        check_keys(data, what, required=keys)
        return cls(*(data[key] for key in keys))


@dataclass(frozen=True)
class BetweenDatetimes(Filter):
    """The time lies in [start, end], inclusive.

    Aware bounds compare instants; naive bounds compare the clock's local wall time.
    """

    start: datetime
    end: datetime
    type_name: ClassVar[str] = "between_datetimes"

    def __post_init__(self) -> None:
        start = _check_datetime(self.start, "between_datetimes start")
        end = _check_datetime(self.end, "between_datetimes end")
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ScheduleError(
                f"between_datetimes bounds {start!r} and {end!r} must both be naive "
                "or both timezone-aware."
            )
        if _key(start, start) > _key(end, end):
            raise ScheduleError(
                f"between_datetimes start {start.isoformat()} is after end {end.isoformat()}."
            )

    def __call__(self, dt: datetime) -> bool:
        key = _key(dt, self.start)
        return _key(self.start, self.start) <= key <= _key(self.end, self.end)

    def _params(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["start", "end"])
        return cls(
            datetime_from_json(data["start"], f"{what} start"),
            datetime_from_json(data["end"], f"{what} end"),
        )


@dataclass(frozen=True)
class OnDate(Filter):
    """The calendar day is `month`/`day`, in any year."""

    month: int
    day: int
    type_name: ClassVar[str] = "on_date"

    def __post_init__(self) -> None:
        _check_month_day(self.month, self.day, "on_date")

    def __call__(self, dt: datetime) -> bool:
        return dt.month == self.month and dt.day == self.day

    def _params(self) -> dict[str, Any]:
        return {"month": self.month, "day": self.day}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["month", "day"])
        return cls(data["month"], data["day"])


@dataclass(frozen=True)
class OnDatetime(Filter):
    """The time equals `dt` (an instant if aware, local wall time if naive)."""

    dt: datetime
    type_name: ClassVar[str] = "on_datetime"

    def __post_init__(self) -> None:
        _check_datetime(self.dt, "on_datetime")

    def __call__(self, dt: datetime) -> bool:
        return _key(dt, self.dt) == _key(self.dt, self.dt)

    def _params(self) -> dict[str, Any]:
        return {"dt": self.dt.isoformat()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["dt"])
        return cls(datetime_from_json(data["dt"], f"{what} dt"))


def at_time(t: time) -> Filter:
    """Keep times whose local time of day is exactly `t` (e.g. `at_time(time(9, 30))`)."""
    return AtTime(t)


def between_times(start: time, end: time) -> Filter:
    """Keep times whose local time of day is in [start, end]; `start > end` wraps midnight."""
    return BetweenTimes(start, end)


def between_dates(start_month: int, start_day: int, end_month: int, end_day: int) -> Filter:
    """Keep days between two (month, day) pairs, inclusive; wraps the year end if needed."""
    return BetweenDates(start_month, start_day, end_month, end_day)


def between_datetimes(start: datetime, end: datetime) -> Filter:
    """Keep times in [start, end], inclusive."""
    return BetweenDatetimes(start, end)


def on_date(month: int, day: int) -> Filter:
    """Keep times on `month`/`day` of any year (e.g. `on_date(12, 24)`)."""
    return OnDate(month, day)


def on_datetime(dt: datetime) -> Filter:
    """Keep only the time `dt`."""
    return OnDatetime(dt)


@dataclass(frozen=True)
class IsDayOfWeek(Filter):
    """The local day of the week is `day` (Monday 0 ... Sunday 6, as `datetime.weekday()`)."""

    day: int
    type_name: ClassVar[str] = "is_day_of_week"

    def __post_init__(self) -> None:
        if _check_int(self.day, "is_day_of_week day") not in range(7):
            raise ScheduleError(
                f"is_day_of_week day must be 0 (Monday) to 6 (Sunday), got {self.day!r}."
            )

    def __call__(self, dt: datetime) -> bool:
        return dt.weekday() == self.day

    def _params(self) -> dict[str, Any]:
        return {"day": self.day}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Filter:
        check_keys(data, what, required=["day"])
        return cls(data["day"])


def is_day_of_week(day: int) -> Filter:
    """Keep times on one day of the week (Monday 0 ... Sunday 6, as 1.x compared it)."""
    return IsDayOfWeek(day)


_REGISTRY: dict[str, type[Filter]] = {
    cls.type_name: cls
    for cls in (
        IsWeekday,
        IsWeekend,
        IsMonthStart,
        IsMonthEnd,
        AtTime,
        BetweenTimes,
        BetweenDates,
        BetweenDatetimes,
        OnDate,
        OnDatetime,
        IsDayOfWeek,
    )
}


def filter_from_dict(data: object, what: str = "filter") -> Filter:
    """Rebuild a filter from `Filter.to_dict()` output; raises ScheduleError if malformed."""
    kind, mapping = payload_type(data, what, _REGISTRY)
    return _REGISTRY[kind]._from_payload(mapping, f"{what} ({kind})")
