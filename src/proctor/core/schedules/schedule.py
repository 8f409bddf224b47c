"""Schedule: clocks merged in time order, then filtered and adjusted.

A candidate time from any clock is kept when

- every filter in `filters` accepts it, and
- at least one filter in `or_filters` accepts it (if any are given), and
- no filter in `not_filters` accepts it;

the kept time then goes through `adjustments` in order. Equal times from several clocks
are merged into one (the earliest clock in the list wins).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from proctor.core.errors import ScheduleError
from proctor.core.schedules._payload import check_keys, list_field
from proctor.core.schedules._time import TimezoneLike, as_aware, utc
from proctor.core.schedules.adjustments import Adjustment, adjustment_from_dict
from proctor.core.schedules.clocks import Clock, CronClock, IntervalClock, clock_from_dict
from proctor.core.schedules.filters import Filter, filter_from_dict
from proctor.core.schedules.limits import SEARCH_HORIZON_YEARS, SearchLimitReached

__all__ = ["CronSchedule", "IntervalSchedule", "Schedule", "ScheduleSearch", "ScheduledEvent"]

CANDIDATES_PER_EVENT = 10_000
"""How many candidate times `next` examines per requested event before giving up."""

SCHEDULE_FORMAT_VERSION = 1


@dataclass(frozen=True)
class ScheduledEvent:
    """One start time of a schedule, with the defaults and labels of the clock behind it."""

    start_time: datetime
    parameter_defaults: dict[str, Any]
    labels: list[str]
    clock_index: int


@dataclass(frozen=True)
class ScheduleSearch:
    """What one search for upcoming events found, and why it stopped where it did.

    `stalled_clocks`: indexes of clocks that gave up without a single time after the
    moment searched from (no time within the search horizon: they may never fire).
    `cut_short`: the candidate budget ran out before enough events passed the filters;
    `searched_until` is then the last candidate examined, and the schedule has no event
    between the moment searched from and it other than `events`.
    """

    events: list[ScheduledEvent]
    stalled_clocks: frozenset[int]
    cut_short: bool
    searched_until: datetime | None


def _tagged(
    clock: Clock, index: int, after: datetime, horizon_years: int, stalled: set[int]
) -> Iterator[tuple[datetime, int, datetime]]:
    """(instant in UTC, clock index, local time): sorts by instant, then by clock.

    A clock that gives up ends its stream (the other clocks go on) and is noted in
    `stalled` if it gave up before yielding anything."""
    yielded = False
    try:
        for moment in clock.times(after, horizon_years=horizon_years):
            yielded = True
            yield utc(moment), index, moment
    except SearchLimitReached:
        if not yielded:
            stalled.add(index)


def _check_clocks(clocks: object) -> list[Clock]:
    if isinstance(clocks, Clock):
        return [clocks]
    if isinstance(clocks, str | bytes) or not isinstance(clocks, Iterable):
        raise ScheduleError(f"Schedule clocks must be a list of clocks, got {clocks!r}.")
    checked = list(clocks)
    if not checked:
        raise ScheduleError(
            "Schedule needs at least one clock, e.g. Schedule([CronClock('0 9 * * *')])."
        )
    for i, clock in enumerate(checked):
        if not isinstance(clock, Clock):
            raise ScheduleError(
                f"Schedule clocks[{i}] must be a clock (IntervalClock, CronClock, RRuleClock "
                f"or DatesClock), got {clock!r}."
            )
    return checked


def _check_items(items: object, kind: type[object], what: str, example: str) -> list[Any]:
    if items is None:
        return []
    if isinstance(items, kind):
        return [items]
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise ScheduleError(f"Schedule {what} must be a list, got {items!r}.")
    checked = list(items)
    for i, item in enumerate(checked):
        if not isinstance(item, kind):
            raise ScheduleError(
                f"Schedule {what}[{i}] must be a schedule {kind.__name__.lower()} such as "
                f"{example}, got {item!r}; plain functions and lambdas cannot be stored "
                "with the schedule."
            )
    return checked


class Schedule:
    """When a flow runs: one or more clocks, optionally filtered and adjusted.

    Example: weekdays at 09:00 Berlin time::

        Schedule([CronClock("0 9 * * *", timezone="Europe/Berlin")], filters=[is_weekday])
    """

    def __init__(
        self,
        clocks: Clock | Sequence[Clock],
        filters: Sequence[Filter] | None = None,
        or_filters: Sequence[Filter] | None = None,
        not_filters: Sequence[Filter] | None = None,
        adjustments: Sequence[Adjustment] | None = None,
    ) -> None:
        self._clocks = _check_clocks(clocks)
        self._filters: list[Filter] = _check_items(filters, Filter, "filters", "is_weekday")
        self._or_filters: list[Filter] = _check_items(
            or_filters, Filter, "or_filters", "is_weekend"
        )
        self._not_filters: list[Filter] = _check_items(
            not_filters, Filter, "not_filters", "on_date(12, 25)"
        )
        self._adjustments: list[Adjustment] = _check_items(
            adjustments, Adjustment, "adjustments", "next_weekday"
        )

    @property
    def clocks(self) -> list[Clock]:
        return list(self._clocks)

    @property
    def filters(self) -> list[Filter]:
        return list(self._filters)

    @property
    def or_filters(self) -> list[Filter]:
        return list(self._or_filters)

    @property
    def not_filters(self) -> list[Filter]:
        return list(self._not_filters)

    @property
    def adjustments(self) -> list[Adjustment]:
        return list(self._adjustments)

    @property
    def start_date(self) -> datetime | None:
        """The earliest start date of the clocks (None if none has one), as in 1.x."""
        dates = [clock.start_date for clock in self._clocks if clock.start_date is not None]
        return min(dates, key=utc) if dates else None

    @property
    def end_date(self) -> datetime | None:
        """The latest end date of the clocks (None if none has one), as in 1.x."""
        dates = [clock.end_date for clock in self._clocks if clock.end_date is not None]
        return max(dates, key=utc) if dates else None

    # -- computing start times --------------------------------------------------------

    def _accepts(self, moment: datetime) -> bool:
        if not all(check(moment) for check in self._filters):
            return False
        if self._or_filters and not any(check(moment) for check in self._or_filters):
            return False
        return not any(check(moment) for check in self._not_filters)

    def _adjust(self, moment: datetime) -> datetime:
        for adjustment in self._adjustments:
            moment = adjustment(moment)
        return moment

    def next_events(self, n: int, after: datetime | None = None) -> list[ScheduledEvent]:
        """The next `n` events whose start time is strictly after `after` (default: now).

        A naive `after` is read in the time zone of the first clock. Fewer than `n` events
        come back when the clocks run out, when a clock finds no time within the search
        horizon (see `proctor.core.schedules.limits`), or when `n * CANDIDATES_PER_EVENT`
        candidate times were examined without finding enough that pass the filters.
        """
        return self.search(n, after).events

    def search(
        self,
        n: int,
        after: datetime | None = None,
        *,
        skip_clocks: frozenset[int] = frozenset(),
        horizon_years: int = SEARCH_HORIZON_YEARS,
    ) -> ScheduleSearch:
        """`next_events`, plus why the search stopped (see `ScheduleSearch`).

        `skip_clocks` leaves those clocks out (a caller that already knows they stalled
        need not search them again)."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ScheduleError(f"n must be a non-negative int, got {n!r}.")
        if after is None:
            after = datetime.now(UTC)
        after = utc(as_aware(after, self._clocks[0].timezone, "after"))
        stalled: set[int] = set()
        if n == 0:
            return ScheduleSearch([], frozenset(), False, None)
        # Adjustments can move a time forward past `after`; start looking early enough
        # to catch those.
        lookback = sum((max(a.max_shift(), timedelta(0)) for a in self._adjustments), timedelta())
        search_from = after - lookback
        streams = [
            _tagged(clock, index, search_from, horizon_years, stalled)
            for index, clock in enumerate(self._clocks)
            if index not in skip_clocks
        ]
        budget = n * CANDIDATES_PER_EVENT
        events: list[ScheduledEvent] = []
        seen: set[datetime] = set()
        previous: datetime | None = None
        cut_short = False
        for instant, index, candidate in heapq.merge(*streams):
            if previous is not None and instant == previous:
                continue  # the same time from another clock
            if instant > after:
                budget -= 1
                if budget < 0:
                    cut_short = True
                    break
            previous = instant
            if not self._accepts(candidate):
                continue
            start = self._adjust(candidate)
            key = utc(start)
            if key <= after or key in seen:
                continue
            seen.add(key)
            clock = self._clocks[index]
            events.append(
                ScheduledEvent(
                    start_time=start,
                    parameter_defaults=clock.parameter_defaults,
                    labels=clock.labels,
                    clock_index=index,
                )
            )
            if len(events) >= n:
                break
        events.sort(key=lambda event: utc(event.start_time))
        return ScheduleSearch(
            events, frozenset(stalled), cut_short, previous if cut_short else None
        )

    def check_can_fire(
        self, after: datetime | None = None, *, horizon_years: int = SEARCH_HORIZON_YEARS
    ) -> None:
        """Raise `SearchLimitReached` naming the first clock that finds no start time
        within `horizon_years` after `after` (default: now): such a clock may never fire,
        and searching it again and again would only cost time. A clock that has ended
        (its last date passed) is fine."""
        for index in sorted(self.search(1, after, horizon_years=horizon_years).stalled_clocks):
            clock = self._clocks[index]
            raise SearchLimitReached(
                f"Schedule clocks[{index}] ({clock!r}) finds no start time within "
                f"{horizon_years} years, so it may never fire (e.g. a rule for 30 February); "
                "fix or remove that clock.",
                clock=clock,
            )

    def next(self, n: int, after: datetime | None = None) -> list[datetime]:
        """The next `n` start times strictly after `after` (default: now, UTC)."""
        return [event.start_time for event in self.next_events(n, after)]

    # -- serialisation ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; `Schedule.from_dict` rebuilds an equal schedule."""
        return {
            "type": "Schedule",
            "version": SCHEDULE_FORMAT_VERSION,
            "clocks": [clock.to_dict() for clock in self._clocks],
            "filters": [item.to_dict() for item in self._filters],
            "or_filters": [item.to_dict() for item in self._or_filters],
            "not_filters": [item.to_dict() for item in self._not_filters],
            "adjustments": [item.to_dict() for item in self._adjustments],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schedule:
        """Rebuild a schedule from `to_dict()` output; raises ScheduleError if malformed."""
        what = "schedule"
        if not isinstance(data, Mapping):
            raise ScheduleError(f"A stored {what} must be a dict, got {data!r}.")
        check_keys(
            data,
            what,
            required=["clocks"],
            optional=["version", "filters", "or_filters", "not_filters", "adjustments"],
        )
        if data.get("type", "Schedule") != "Schedule":
            raise ScheduleError(f"A stored {what} must have type 'Schedule', got {data!r}.")
        version = data.get("version", SCHEDULE_FORMAT_VERSION)
        if version != SCHEDULE_FORMAT_VERSION:
            raise ScheduleError(
                f"Stored {what} has format version {version!r}; this Proctor reads version "
                f"{SCHEDULE_FORMAT_VERSION}."
            )
        try:
            clocks = [
                clock_from_dict(item, f"clocks[{i}]")
                for i, item in enumerate(list_field(data, "clocks", what))
            ]
            filters = {
                key: [
                    filter_from_dict(item, f"{key}[{i}]")
                    for i, item in enumerate(list_field(data, key, what))
                ]
                for key in ("filters", "or_filters", "not_filters")
            }
            adjustments = [
                adjustment_from_dict(item, f"adjustments[{i}]")
                for i, item in enumerate(list_field(data, "adjustments", what))
            ]
        except ScheduleError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
            raise ScheduleError(f"Stored {what} {dict(data)!r} is malformed: {exc}.") from exc
        return cls(
            clocks,
            filters=filters["filters"],
            or_filters=filters["or_filters"],
            not_filters=filters["not_filters"],
            adjustments=adjustments,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [repr(self._clocks)]
        for name in ("filters", "or_filters", "not_filters", "adjustments"):
            value = getattr(self, f"_{name}")
            if value:
                parts.append(f"{name}={value!r}")
        return f"Schedule({', '.join(parts)})"


def IntervalSchedule(
    interval: timedelta | float,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    timezone: TimezoneLike | None = None,
    *,
    parameter_defaults: Mapping[str, Any] | None = None,
    labels: Iterable[str] | None = None,
    filters: Sequence[Filter] | None = None,
    or_filters: Sequence[Filter] | None = None,
    not_filters: Sequence[Filter] | None = None,
    adjustments: Sequence[Adjustment] | None = None,
) -> Schedule:
    """A Schedule with one IntervalClock (see IntervalClock for the arguments)."""
    clock = IntervalClock(
        interval,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone,
        parameter_defaults=parameter_defaults,
        labels=labels,
    )
    return Schedule(
        [clock],
        filters=filters,
        or_filters=or_filters,
        not_filters=not_filters,
        adjustments=adjustments,
    )


def CronSchedule(
    cron: str,
    timezone: TimezoneLike | None = "UTC",
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    day_or: bool = True,
    *,
    parameter_defaults: Mapping[str, Any] | None = None,
    labels: Iterable[str] | None = None,
    filters: Sequence[Filter] | None = None,
    or_filters: Sequence[Filter] | None = None,
    not_filters: Sequence[Filter] | None = None,
    adjustments: Sequence[Adjustment] | None = None,
) -> Schedule:
    """A Schedule with one CronClock (see CronClock for the arguments)."""
    clock = CronClock(
        cron,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone,
        day_or=day_or,
        parameter_defaults=parameter_defaults,
        labels=labels,
    )
    return Schedule(
        [clock],
        filters=filters,
        or_filters=or_filters,
        not_filters=not_filters,
        adjustments=adjustments,
    )
