"""Schedules: a DatesClock and two interval clocks with parameter defaults, merged."""

from datetime import UTC, datetime, timedelta

from prefect import Flow, Parameter, task
from prefect.schedules import Schedule
from prefect.schedules.clocks import DatesClock, IntervalClock

BASE = datetime(2026, 5, 1, tzinfo=UTC)
schedule = Schedule(
    clocks=[
        DatesClock([BASE + timedelta(hours=1), BASE + timedelta(days=2, hours=6)]),
        IntervalClock(timedelta(days=1), start_date=BASE, parameter_defaults={"who": "daily"}),
    ]
)


@task
def upcoming():
    return [when.isoformat() for when in schedule.next(5, after=BASE)]


@task
def greet(who):
    return f"hello {who}"


with Flow("schedules-dates-clock", schedule=schedule) as flow:
    upcoming()
    greet(Parameter("who", default="world"))
