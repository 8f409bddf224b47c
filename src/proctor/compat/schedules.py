"""`CronSchedule` / `IntervalSchedule` taking both Proctor's and 1.x's argument order.

1.x wrote `CronSchedule(cron, start_date=None, end_date=None, day_or=None)` and
`IntervalSchedule(start_date=None, interval=None, end_date=None)`; Proctor's put the time
zone second and the interval first. A datetime where Proctor expects something else can
only mean the 1.x order, so it is read that way; keywords mean the same in both.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from proctor.core.errors import ScheduleError
from proctor.core.schedules import schedule as _schedule
from proctor.core.schedules.schedule import Schedule


def CronSchedule(cron: str, *args: Any, **kwargs: Any) -> Schedule:
    """A Schedule with one CronClock (see `proctor.core.schedules.CronSchedule`)."""
    if args and isinstance(args[0], datetime):
        for name, value in zip(("start_date", "end_date", "day_or"), args, strict=False):
            kwargs[name] = value
        args = ()
    if kwargs.get("day_or", True) is None:
        kwargs.pop("day_or")
    return _schedule.CronSchedule(cron, *args, **kwargs)


def IntervalSchedule(*args: Any, **kwargs: Any) -> Schedule:
    """A Schedule with one IntervalClock (see `proctor.core.schedules.IntervalSchedule`)."""
    if args and isinstance(args[0], datetime):
        for name, value in zip(("start_date", "interval", "end_date"), args, strict=False):
            kwargs[name] = value
        args = ()
    if not args and "interval" not in kwargs:
        raise ScheduleError(
            "IntervalSchedule needs an interval: IntervalSchedule(interval=timedelta(hours=1))."
        )
    if not args:
        interval: timedelta | float = kwargs.pop("interval")
        args = (interval,)
    return _schedule.IntervalSchedule(*args, **kwargs)


def RRuleSchedule(
    rrule_obj: Any, start_date: datetime | None = None, end_date: datetime | None = None
) -> Schedule:
    """1.x `RRuleSchedule(rrule, start_date, end_date)`: a Schedule with one RRuleClock."""
    from proctor.core.schedules.clocks import RRuleClock

    return Schedule(clocks=[RRuleClock(rrule_obj, start_date=start_date, end_date=end_date)])


__all__ = ["CronSchedule", "IntervalSchedule", "RRuleSchedule"]
