"""Public import path for flow schedules: `from proctor.schedules import Schedule, CronClock`.

Everything here is defined in `proctor.core.schedules`; see docs/schedules.md.
"""

from __future__ import annotations

from proctor.core.schedules import (
    Adjustment,
    Clock,
    CronClock,
    CronSchedule,
    DatesClock,
    Filter,
    IntervalClock,
    IntervalSchedule,
    RRuleClock,
    Schedule,
    ScheduledEvent,
    add,
    adjustment_from_dict,
    at_time,
    between_dates,
    between_datetimes,
    between_times,
    clock_from_dict,
    filter_from_dict,
    is_month_end,
    is_month_start,
    is_weekday,
    is_weekend,
    next_weekday,
    on_date,
    on_datetime,
)

__all__ = [
    "Adjustment",
    "Clock",
    "CronClock",
    "CronSchedule",
    "DatesClock",
    "Filter",
    "IntervalClock",
    "IntervalSchedule",
    "RRuleClock",
    "Schedule",
    "ScheduledEvent",
    "add",
    "adjustment_from_dict",
    "at_time",
    "between_dates",
    "between_datetimes",
    "between_times",
    "clock_from_dict",
    "filter_from_dict",
    "is_month_end",
    "is_month_start",
    "is_weekday",
    "is_weekend",
    "next_weekday",
    "on_date",
    "on_datetime",
]
