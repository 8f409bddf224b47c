"""Clocks: sources of candidate start times for a schedule.

Each clock yields timezone-aware datetimes in its own zone, in increasing order, from
`start_date` (inclusive, if set) to `end_date` (inclusive, if set). A clock can carry
`parameter_defaults` and `labels` that travel with every run it produces.

- IntervalClock: every `interval`, anchored at `start_date`.
- CronClock: a cron expression evaluated by the cronsim library.
- RRuleClock: an RFC 5545 recurrence rule evaluated by dateutil.
- DatesClock: an explicit list of datetimes.
"""

from __future__ import annotations

import bisect
import copy
import json
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from dateutil.rrule import DAILY, HOURLY, MINUTELY, SECONDLY, WEEKLY, rruleset, rrulestr
from dateutil.rrule import rrule as RRule

from proctor.core.errors import ScheduleError
from proctor.core.schedules._payload import check_keys, list_field, payload_type
from proctor.core.schedules._rrule_bounds import bounded_set
from proctor.core.schedules._time import (
    TimezoneLike,
    as_aware,
    coerce_interval,
    datetime_from_json,
    datetime_to_json,
    describe_zone,
    interval_to_json,
    is_utc,
    is_whole_days,
    localize,
    localize_gap_end,
    normalize,
    pick_timezone,
    resolve_timezone,
    utc,
    zone_of,
)
from proctor.core.schedules.limits import (
    MAX_SKIPPED_CANDIDATES,
    SEARCH_HORIZON_YEARS,
    SearchLimitReached,
)

__all__ = [
    "Clock",
    "CronClock",
    "DatesClock",
    "IntervalClock",
    "RRuleClock",
    "clock_from_dict",
]

_COMMON_KEYS = ("timezone", "parameter_defaults", "labels")
_WINDOW_KEYS = ("start_date", "end_date")
_ONE_MICROSECOND = timedelta(microseconds=1)


def _check_parameter_defaults(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScheduleError(f"parameter_defaults must be a dict, got {value!r}.")
    for key in value:
        if not isinstance(key, str):
            raise ScheduleError(
                f"parameter_defaults keys must be parameter names (str), got {key!r}."
            )
    try:
        json.dumps(dict(value), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScheduleError(
            f"parameter_defaults {dict(value)!r} must be JSON-serialisable so the schedule "
            f"can be stored: {exc}."
        ) from None
    return copy.deepcopy(dict(value))


def _check_labels(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ScheduleError(f"labels must be a list of strings, got {value!r}.")
    labels = list(value)
    for label in labels:
        if not isinstance(label, str):
            raise ScheduleError(f"labels must be strings, got {label!r} in {labels!r}.")
    return labels


class Clock(ABC):
    """A source of candidate start times (see the module docstring)."""

    type_name: ClassVar[str]

    def __init__(
        self,
        *,
        timezone: ZoneInfo,
        start_date: datetime | None,
        end_date: datetime | None,
        parameter_defaults: Mapping[str, Any] | None,
        labels: Iterable[str] | None,
    ) -> None:
        self._timezone = timezone
        self._start_date = (
            None if start_date is None else as_aware(start_date, timezone, "start_date")
        )
        self._end_date = None if end_date is None else as_aware(end_date, timezone, "end_date")
        if (
            self._start_date is not None
            and self._end_date is not None
            and utc(self._end_date) < utc(self._start_date)
        ):
            raise ScheduleError(
                f"end_date {self._end_date.isoformat()} is before start_date "
                f"{self._start_date.isoformat()}."
            )
        self._parameter_defaults = _check_parameter_defaults(parameter_defaults)
        self._labels = _check_labels(labels)

    # -- public attributes ------------------------------------------------------------

    @property
    def timezone(self) -> ZoneInfo:
        """The zone the clock is evaluated in; every time it yields is in this zone."""
        return self._timezone

    @property
    def start_date(self) -> datetime | None:
        """The first allowed start time (inclusive), or None."""
        return self._start_date

    @property
    def end_date(self) -> datetime | None:
        """The last allowed start time (inclusive), or None for no end."""
        return self._end_date

    @property
    def parameter_defaults(self) -> dict[str, Any]:
        """Parameter values given to every run from this clock (a copy)."""
        return copy.deepcopy(self._parameter_defaults)

    @property
    def labels(self) -> list[str]:
        """Labels given to every run from this clock (a copy)."""
        return list(self._labels)

    # -- iteration --------------------------------------------------------------------

    def times(
        self, after: datetime, *, horizon_years: int = SEARCH_HORIZON_YEARS
    ) -> Iterator[datetime]:
        """Yield the clock's times strictly after `after`, in increasing order.

        A naive `after` is read as wall-clock time in the clock's zone. The iterator
        stops when the clock ends; it raises `SearchLimitReached` when the clock finds
        no time within `horizon_years` after `after` (or after the time it yielded last),
        or has to step over too many earlier times to get there (see `limits`).
        """
        lower = utc(as_aware(after, self._timezone, "after"))
        if self._start_date is not None and utc(self._start_date) > lower:
            lower = utc(self._start_date) - _ONE_MICROSECOND
        end = None if self._end_date is None else utc(self._end_date)
        skipped = 0
        for candidate in self._candidates(lower, horizon_years):
            moment = utc(candidate)
            if moment <= lower:
                # Before the window, or a repeat of a time already yielded.
                skipped += 1
                if skipped > MAX_SKIPPED_CANDIDATES:
                    raise SearchLimitReached(
                        f"{self!r} had to step over more than {MAX_SKIPPED_CANDIDATES:,} "
                        f"earlier times to reach {lower.isoformat()}; start it closer to "
                        "now (a later DTSTART or start_date)",
                        clock=self,
                    )
                continue
            if end is not None and moment > end:
                return
            lower = moment
            skipped = 0
            yield candidate

    @abstractmethod
    def _candidates(self, lower: datetime, horizon_years: int) -> Iterator[datetime]:
        """Yield times in the clock's zone, increasing, covering everything after `lower`.

        `lower` is in UTC. May also yield some times at or before `lower`, or repeats;
        `times` drops them. Raises `SearchLimitReached` after `horizon_years` without a
        time, if searching could otherwise go on much longer.
        """

    def _gave_up(self, after: datetime, horizon_years: int) -> SearchLimitReached:
        return SearchLimitReached(
            f"{self!r} finds no start time within {horizon_years} years after "
            f"{after:%Y-%m-%d}: it may never fire (e.g. a rule for 30 February)",
            clock=self,
        )

    # -- serialisation ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict that `clock_from_dict` turns back into this clock."""
        return {
            "type": self.type_name,
            **self._spec(),
            "timezone": self._timezone.key,
            "parameter_defaults": copy.deepcopy(self._parameter_defaults),
            "labels": list(self._labels),
        }

    def _window(self) -> dict[str, Any]:
        return {
            "start_date": datetime_to_json(self._start_date),
            "end_date": datetime_to_json(self._end_date),
        }

    @abstractmethod
    def _spec(self) -> dict[str, Any]:
        """The clock-specific part of `to_dict`."""

    @classmethod
    @abstractmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Clock:
        """Build the clock from a checked `to_dict` payload."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Clock):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in self._spec().items())
        return f"{type(self).__name__}({fields}, timezone={self._timezone.key!r})"


def _optional_datetime(data: Mapping[str, Any], key: str, what: str) -> datetime | None:
    value = data.get(key)
    return None if value is None else datetime_from_json(value, f"{what} {key}")


def _common_kwargs(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "timezone": data.get("timezone", "UTC"),
        "parameter_defaults": data.get("parameter_defaults"),
        "labels": data.get("labels"),
    }


def _window_kwargs(data: Mapping[str, Any], what: str) -> dict[str, Any]:
    return {
        "start_date": _optional_datetime(data, "start_date", what),
        "end_date": _optional_datetime(data, "end_date", what),
    }


# -- IntervalClock -----------------------------------------------------------------------


class IntervalClock(Clock):
    """Fires every `interval`, starting at `start_date`.

    `interval` is a timedelta or a number of seconds and must be positive. Without a
    `start_date` the clock is anchored at 2020-01-01 00:00 in its time zone. Intervals
    of whole days keep the local wall-clock time across DST changes (a daily 09:00 stays
    09:00); shorter or mixed intervals are exact elapsed durations.

    `timezone` defaults to the zone of an aware `start_date`, else UTC.
    """

    type_name: ClassVar[str] = "IntervalClock"

    def __init__(
        self,
        interval: timedelta | float,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        timezone: TimezoneLike | None = None,
        *,
        parameter_defaults: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        delta = coerce_interval(interval, "IntervalClock interval")
        if delta <= timedelta(0):
            raise ScheduleError(
                f"IntervalClock interval must be positive, got {interval!r}; "
                "use e.g. timedelta(hours=1) or 3600."
            )
        zone = pick_timezone(timezone, start_date)
        super().__init__(
            timezone=zone,
            start_date=start_date,
            end_date=end_date,
            parameter_defaults=parameter_defaults,
            labels=labels,
        )
        self._interval = delta
        self._wall_clock = is_whole_days(delta)
        self._anchor = self._start_date or localize(datetime(2020, 1, 1), zone)
        self._anchor_wall = self._anchor.replace(tzinfo=None, fold=0)

    @property
    def interval(self) -> timedelta:
        return self._interval

    def _candidates(self, lower: datetime, horizon_years: int) -> Iterator[datetime]:
        step = self._interval
        if self._wall_clock:
            lower_wall = lower.astimezone(self._timezone).replace(tzinfo=None)
            k = max(0, (lower_wall - self._anchor_wall) // step - 1)
            while True:
                try:
                    wall = self._anchor_wall + k * step
                except OverflowError:
                    return
                yield localize(wall, self._timezone)
                k += 1
        else:
            anchor = self._anchor.astimezone(UTC)
            k = max(0, (lower.astimezone(UTC) - anchor) // step + 1)
            while True:
                try:
                    moment = anchor + k * step
                except OverflowError:
                    return
                yield moment.astimezone(self._timezone)
                k += 1

    def _spec(self) -> dict[str, Any]:
        return {"interval": interval_to_json(self._interval), **self._window()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Clock:
        check_keys(data, what, required=["interval"], optional=_COMMON_KEYS + _WINDOW_KEYS)
        return cls(
            coerce_interval(data["interval"], f"{what} interval"),
            **_window_kwargs(data, what),
            **_common_kwargs(data),
        )


# -- CronClock ---------------------------------------------------------------------------

_CRON_FORMAT = (
    "expected 5 fields 'minute hour day-of-month month day-of-week' such as '0 9 * * MON-FRI', "
    "or 6 fields with seconds first ('second minute hour day-of-month month day-of-week')"
)
_CRON_NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _bad_cron(cron: object, reason: str) -> ScheduleError:
    return ScheduleError(f"Invalid cron string {cron!r}: {reason}; {_CRON_FORMAT}.")


class CronClock(Clock):
    """Fires on a cron expression, evaluated in wall-clock time of `timezone`.

    Standard 5-field expressions are accepted, plus cronsim's 6-field form whose first
    field is seconds, plus the nicknames @hourly, @daily, @weekly, @monthly, @yearly.

    DST follows Debian cron (as cronsim does) for expressions with a fixed minute and
    hour: a time skipped by spring-forward runs once at the first valid moment after the
    gap, and a time repeated by fall-back runs once (its first occurrence). Expressions
    whose minute or hour field starts with `*` follow real elapsed time instead.

    `day_or=True` (the cron default) fires when either a restricted day-of-month or a
    restricted day-of-week matches; `day_or=False` requires both.
    """

    type_name: ClassVar[str] = "CronClock"

    def __init__(
        self,
        cron: str,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        timezone: TimezoneLike | None = "UTC",
        day_or: bool = True,
        *,
        parameter_defaults: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        if not isinstance(cron, str):
            raise _bad_cron(cron, "not a string")
        if not isinstance(day_or, bool):
            raise ScheduleError(f"CronClock day_or must be True or False, got {day_or!r}.")
        expression = _CRON_NICKNAMES.get(cron.strip().lower(), cron.strip())
        fields = expression.split()
        if len(fields) not in (5, 6):
            raise _bad_cron(cron, f"it has {len(fields)} field(s)")
        try:
            CronSim(expression, datetime(2020, 1, 1, tzinfo=UTC))
        except CronSimError as exc:
            raise _bad_cron(cron, str(exc).lower() or "cannot be parsed") from None
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            raise _bad_cron(cron, f"cannot be parsed ({exc})") from None
        zone = pick_timezone(timezone, start_date)
        super().__init__(
            timezone=zone,
            start_date=start_date,
            end_date=end_date,
            parameter_defaults=parameter_defaults,
            labels=labels,
        )
        self._cron = cron
        self._expression = expression
        self._day_or = day_or
        minute, hour = fields[-5], fields[-4]
        self._utc = is_utc(zone)
        # Debian cron reads jobs with a fixed minute and hour as wall-clock times.
        self._wall_clock = not self._utc and not (minute.startswith("*") or hour.startswith("*"))

    @property
    def cron(self) -> str:
        return self._cron

    @property
    def day_or(self) -> bool:
        return self._day_or

    def _iterator(self, start: datetime) -> CronSim:
        iterator = CronSim(self._expression, start)
        if not self._day_or:
            iterator.day_and = True
        return iterator

    def _candidates(self, lower: datetime, horizon_years: int) -> Iterator[datetime]:
        zone = self._timezone
        if self._wall_clock:
            # Iterate over naive wall-clock times and place each one in the zone ourselves,
            # so 5- and 6-field expressions get the same DST treatment.
            start = lower.astimezone(zone).replace(tzinfo=None, fold=0)
            for naive in self._matches(start, horizon_years):
                yield localize_gap_end(naive, zone)
        else:
            start = lower.astimezone(UTC if self._utc else zone)
            for moment in self._matches(start, horizon_years):
                yield moment.astimezone(zone)

    def _matches(self, start: datetime, horizon_years: int) -> Iterator[datetime]:
        """cronsim's times after `start`; raises `SearchLimitReached` after `horizon_years`
        without one. cronsim stops by itself after 50 years without a match, so a longer
        horizon acts as 50 years."""
        iterator = self._iterator(start)
        previous = start
        while True:
            try:
                moment = next(iterator)
            except StopIteration:
                raise self._gave_up(previous, min(horizon_years, 50)) from None
            except (ValueError, OverflowError):
                return  # past the year 9999: the calendar has ended
            if moment.year > previous.year + horizon_years:
                raise self._gave_up(previous, horizon_years)
            previous = moment
            yield moment

    def _spec(self) -> dict[str, Any]:
        return {"cron": self._cron, "day_or": self._day_or, **self._window()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Clock:
        check_keys(data, what, required=["cron"], optional=("day_or", *_COMMON_KEYS, *_WINDOW_KEYS))
        return cls(
            data["cron"],
            day_or=data.get("day_or", True),
            **_window_kwargs(data, what),
            **_common_kwargs(data),
        )


# -- RRuleClock --------------------------------------------------------------------------

_RRULE_EXAMPLE = "'DTSTART:20240101T090000\\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR'"
# Naive rule times are compared with wall-clock times, which differ from instants by
# at most the zone's DST change; look back this far to be safe.
_RRULE_SLACK = timedelta(hours=3)
# dateutil walks a rule from its DTSTART; rules with a fixed-length period are moved
# forward by whole periods first (see `_narrow_rule`).
_RRULE_PERIODS = {
    WEEKLY: timedelta(weeks=1),
    DAILY: timedelta(days=1),
    HOURLY: timedelta(hours=1),
    MINUTELY: timedelta(minutes=1),
    SECONDLY: timedelta(seconds=1),
}


def _private(obj: object, name: str) -> Any:
    """Read a dateutil attribute that its public API does not expose."""
    return getattr(obj, name)


def _rrule_object_text(
    rule: RRule, timezone: TimezoneLike | None, start_date: datetime | None
) -> tuple[str, ZoneInfo]:
    """RFC 5545 text for an rrule object, plus the zone its times are wall-clock times of."""
    dtstart: datetime | None = _private(rule, "_dtstart")
    if dtstart is None or dtstart.tzinfo is None:
        return str(rule), pick_timezone(timezone, start_date)
    zone = zone_of(dtstart)
    if zone is None:
        raise ScheduleError(
            f"rrule DTSTART {dtstart.isoformat()} uses the time zone "
            f"{describe_zone(dtstart.tzinfo)}, which has no IANA name; "
            "use a zoneinfo.ZoneInfo such as ZoneInfo('Europe/Berlin'), or a naive DTSTART "
            "with RRuleClock(..., timezone='Europe/Berlin')."
        )
    if timezone is not None and resolve_timezone(timezone) != zone:
        raise ScheduleError(
            f"rrule DTSTART is in {zone.key!r} but timezone={timezone!r}; "
            "give the zone once (a naive DTSTART plus timezone=..., or an aware DTSTART)."
        )
    # str() drops DTSTART's zone, so write the rule as wall-clock times of that zone.
    until: datetime | None = _private(rule, "_until")
    naive_until = None if until is None else until.astimezone(zone).replace(tzinfo=None)
    naive_rule = rule.replace(dtstart=dtstart.replace(tzinfo=None), until=naive_until)
    return str(naive_rule), zone


def _invalid_rrule(text: str, reason: object) -> ScheduleError:
    return ScheduleError(
        f"Invalid rrule {text!r}: {reason}; expected RFC 5545 text such as {_RRULE_EXAMPLE}."
    )


def _parse_rrule(text: str, default_start: datetime) -> tuple[rruleset, list[str], bool]:
    """Parse RFC 5545 text.

    Returns the rule set, the TZID names it uses, and whether its times are aware.
    """
    zones: list[str] = []

    def lookup(name: str) -> ZoneInfo:
        zones.append(name)
        return resolve_timezone(name)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            rule = rrulestr(text, dtstart=default_start, forceset=True, tzids=lookup)
        except ScheduleError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, Warning) as exc:
            raise _invalid_rrule(text, exc) from None
    if not isinstance(rule, rruleset):  # pragma: no cover - forceset=True always gives a set
        raise _invalid_rrule(text, "not a rule set")
    # Naive and aware dates cannot be compared, so a set that mixes them cannot be
    # iterated: reject it now rather than when the schedule is first asked for times.
    moments: list[datetime] = [_private(item, "_dtstart") for item in _private(rule, "_rrule")]
    moments += [_private(item, "_dtstart") for item in _private(rule, "_exrule")]
    moments += list(_private(rule, "_rdate")) + list(_private(rule, "_exdate"))
    awareness = {moment.tzinfo is not None for moment in moments}
    if len(awareness) > 1:
        raise _invalid_rrule(text, "it mixes dates with and without a time zone")
    if not _private(rule, "_rrule") and not _private(rule, "_rdate"):
        raise _invalid_rrule(text, "it has no RRULE or RDATE")
    return rule, zones, awareness == {True}


def _narrow_rule(rule: RRule, query: datetime) -> RRule:
    """An equivalent rule for times after `query`, which is cheaper to iterate.

    Moving DTSTART forward by whole periods (to before `query`) keeps every occurrence
    after the new DTSTART: the period grid stays put and the BY* defaults taken from
    DTSTART do not change. Rules with COUNT are left alone, since their occurrences are
    counted from DTSTART.
    """
    if _private(rule, "_count") is not None:
        return rule
    dtstart: datetime = _private(rule, "_dtstart")
    if dtstart.tzinfo is not None:
        query = query.astimezone(dtstart.tzinfo)
    period = _RRULE_PERIODS.get(_private(rule, "_freq"))
    if period is None:  # months and years: few occurrences, nothing to gain
        return rule
    step = period * int(_private(rule, "_interval"))
    skip = (query.replace(tzinfo=None) - dtstart.replace(tzinfo=None)) // step - 1
    if skip <= 0:
        return rule
    # Aware + timedelta is wall-clock arithmetic, which is how dateutil steps too.
    return rule.replace(dtstart=dtstart + skip * step)


def _narrow_set(rules: rruleset, query: datetime) -> rruleset:
    narrowed = rruleset()
    for rule in _private(rules, "_rrule"):
        narrowed.rrule(_narrow_rule(rule, query))
    for rule in _private(rules, "_exrule"):
        narrowed.exrule(_narrow_rule(rule, query))
    for moment in _private(rules, "_rdate"):
        narrowed.rdate(moment)
    for moment in _private(rules, "_exdate"):
        narrowed.exdate(moment)
    return narrowed


class RRuleClock(Clock):
    """Fires on an RFC 5545 recurrence rule (evaluated by dateutil).

    `rrule` is a `dateutil.rrule.rrule` object or RFC 5545 text (DTSTART, RRULE, RDATE,
    EXRULE and EXDATE lines). The text form is what gets stored.

    Naive DTSTARTs are wall-clock times in `timezone` (default: the zone of an aware
    `start_date`, else UTC), so a daily 09:00 rule stays at 09:00 local time across DST.
    A `DTSTART;TZID=...` or an aware DTSTART gives the zone when `timezone` is not given.
    Without a DTSTART the rule starts at `start_date`, or at 2020-01-01 00:00. Wall times
    skipped by spring-forward move forward by the length of the gap; times repeated by
    fall-back run once.
    """

    type_name: ClassVar[str] = "RRuleClock"

    def __init__(
        self,
        rrule: str | RRule,
        timezone: TimezoneLike | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        *,
        parameter_defaults: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        if isinstance(rrule, RRule):
            text, zone = _rrule_object_text(rrule, timezone, start_date)
        elif isinstance(rrule, rruleset):
            raise ScheduleError(
                f"RRuleClock cannot store an rruleset object ({rrule!r}); pass its RFC 5545 "
                f"text instead, e.g. {_RRULE_EXAMPLE}."
            )
        elif isinstance(rrule, str):
            text = rrule.strip()
            zone = pick_timezone(timezone, start_date)
        else:
            raise ScheduleError(
                f"RRuleClock needs a dateutil.rrule.rrule or RFC 5545 text, got {rrule!r}."
            )
        default_start = datetime(2020, 1, 1)
        if isinstance(start_date, datetime):
            default_start = as_aware(start_date, zone, "start_date").replace(tzinfo=None)
        rule, tzids, aware = _parse_rrule(text, default_start)
        if tzids and timezone is None:
            zone = resolve_timezone(tzids[0])
        super().__init__(
            timezone=zone,
            start_date=start_date,
            end_date=end_date,
            parameter_defaults=parameter_defaults,
            labels=labels,
        )
        self._rrule = text
        self._rule = rule
        self._aware = aware

    @property
    def rrule(self) -> str:
        """The rule as RFC 5545 text."""
        return self._rrule

    def _candidates(self, lower: datetime, horizon_years: int) -> Iterator[datetime]:
        zone = self._timezone
        if self._aware:
            query = lower - _RRULE_SLACK
            for moment in self._search(query, horizon_years):
                yield normalize(moment).astimezone(zone)
        else:
            query = lower.astimezone(zone).replace(tzinfo=None, fold=0) - _RRULE_SLACK
            for naive in self._search(query, horizon_years):
                yield localize(naive, zone)

    def _search(self, query: datetime, horizon_years: int) -> Iterator[datetime]:
        """The rule's times after `query`; raises `SearchLimitReached` once a rule of the
        set gave up after `horizon_years` without a time and nothing else is left."""
        rules, included = bounded_set(_narrow_set(self._rule, query), query, horizon_years)
        previous = query
        # Not `xafter`: it would drop the times before `query` out of our sight, and
        # `times` must count them to cap how many a search may step over.
        for moment in rules:
            previous = moment
            yield moment
        if any(rule.gave_up for rule in included):
            raise self._gave_up(previous, horizon_years)

    def _spec(self) -> dict[str, Any]:
        return {"rrule": self._rrule, **self._window()}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Clock:
        check_keys(data, what, required=["rrule"], optional=_COMMON_KEYS + _WINDOW_KEYS)
        rrule = data["rrule"]
        if not isinstance(rrule, str):
            raise ScheduleError(f"{what} rrule must be RFC 5545 text, got {rrule!r}.")
        return cls(rrule, **_window_kwargs(data, what), **_common_kwargs(data))


# -- DatesClock --------------------------------------------------------------------------


class DatesClock(Clock):
    """Fires once at each of the given datetimes.

    Naive dates are read in `timezone` (default: the zone of the first aware date, else
    UTC). `start_date` and `end_date` are the earliest and latest date.
    """

    type_name: ClassVar[str] = "DatesClock"

    def __init__(
        self,
        dates: Iterable[datetime],
        timezone: TimezoneLike | None = None,
        *,
        parameter_defaults: Mapping[str, Any] | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        if isinstance(dates, datetime | str) or not isinstance(dates, Iterable):
            raise ScheduleError(f"DatesClock needs a list of datetimes, got {dates!r}.")
        given = list(dates)
        if not given:
            raise ScheduleError("DatesClock needs at least one date, got an empty list.")
        for value in given:
            if not isinstance(value, datetime):
                raise ScheduleError(f"DatesClock dates must be datetimes, got {value!r}.")
        zone = pick_timezone(timezone, *given)
        by_instant = {utc(moment): moment for moment in (as_aware(v, zone, "date") for v in given)}
        self._keys = sorted(by_instant)
        moments = [by_instant[key] for key in self._keys]
        super().__init__(
            timezone=zone,
            start_date=moments[0],
            end_date=moments[-1],
            parameter_defaults=parameter_defaults,
            labels=labels,
        )
        self._dates = moments

    @property
    def dates(self) -> list[datetime]:
        return list(self._dates)

    def _candidates(self, lower: datetime, horizon_years: int) -> Iterator[datetime]:
        yield from self._dates[bisect.bisect_right(self._keys, utc(lower)) :]

    def _spec(self) -> dict[str, Any]:
        return {"dates": [value.isoformat() for value in self._dates]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any], what: str) -> Clock:
        check_keys(data, what, required=["dates"], optional=_COMMON_KEYS)
        dates = [
            datetime_from_json(value, f"{what} dates[{i}]")
            for i, value in enumerate(list_field(data, "dates", what))
        ]
        return cls(dates, **_common_kwargs(data))


_REGISTRY: dict[str, type[Clock]] = {
    cls.type_name: cls for cls in (IntervalClock, CronClock, RRuleClock, DatesClock)
}


def clock_from_dict(data: object, what: str = "clock") -> Clock:
    """Rebuild a clock from `Clock.to_dict()`; raises ScheduleError if malformed."""
    kind, mapping = payload_type(data, what, _REGISTRY)
    return _REGISTRY[kind]._from_payload(mapping, f"{what} ({kind})")
