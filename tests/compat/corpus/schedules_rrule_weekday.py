"""Schedules: RRuleSchedule from a dateutil rule, and an is_day_of_week filter on an
interval clock; next() and start_date as 1.x computed them."""

from datetime import UTC, datetime, timedelta

from dateutil.rrule import MO, WE, WEEKLY, rrule

from prefect import Flow, task
from prefect.schedules import RRuleSchedule, Schedule
from prefect.schedules.clocks import IntervalClock
from prefect.schedules.filters import is_day_of_week

START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # a Monday
rule_schedule = RRuleSchedule(rrule(WEEKLY, byweekday=(MO, WE), dtstart=START, count=6))
thursdays = Schedule(
    clocks=[IntervalClock(timedelta(hours=12), start_date=START)],
    filters=[is_day_of_week(3)],
)


@task
def rule_times():
    return [when.isoformat() for when in rule_schedule.next(4, after=START)]


@task
def thursday_times():
    return [when.isoformat() for when in thursdays.next(3, after=START)]


with Flow("schedules-rrule-weekday", schedule=rule_schedule) as flow:
    rule_times()
    thursday_times()
