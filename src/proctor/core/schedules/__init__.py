"""Flow schedules: clocks produce candidate start times, filters keep some, adjustments move them.

    from datetime import time, timedelta
    from proctor.schedules import CronClock, IntervalClock, Schedule, between_times, is_weekday

    schedule = Schedule(
        [CronClock("*/30 * * * *", timezone="Europe/Berlin")],
        filters=[is_weekday, between_times(time(9), time(17))],
    )
    schedule.next(3)

Importing this package loads cronsim and dateutil; nothing in Proctor imports it eagerly.
See docs/schedules.md for the full guide.
"""

from __future__ import annotations

from proctor.core.schedules.adjustments import Adjustment, add, adjustment_from_dict, next_weekday
from proctor.core.schedules.clocks import (
    Clock,
    CronClock,
    DatesClock,
    IntervalClock,
    RRuleClock,
    clock_from_dict,
)
from proctor.core.schedules.filters import (
    Filter,
    at_time,
    between_dates,
    between_datetimes,
    between_times,
    filter_from_dict,
    is_month_end,
    is_month_start,
    is_weekday,
    is_weekend,
    on_date,
    on_datetime,
)
from proctor.core.schedules.limits import SEARCH_HORIZON_YEARS, SearchLimitReached
from proctor.core.schedules.schedule import (
    CronSchedule,
    IntervalSchedule,
    Schedule,
    ScheduledEvent,
    ScheduleSearch,
)

__all__ = [
    "SEARCH_HORIZON_YEARS",
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
    "ScheduleSearch",
    "ScheduledEvent",
    "SearchLimitReached",
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
