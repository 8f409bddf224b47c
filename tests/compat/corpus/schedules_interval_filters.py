"""Schedules: an interval clock with a start date, a filter and an adjustment; the flow
runs once (not on its schedule) and a task lists the next times."""

from datetime import UTC, datetime, timedelta

from prefect import Flow, task
from prefect.schedules import Schedule
from prefect.schedules.adjustments import next_weekday
from prefect.schedules.clocks import IntervalClock
from prefect.schedules.filters import between_times

START = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)  # a Friday
schedule = Schedule(
    clocks=[IntervalClock(timedelta(hours=5), start_date=START)],
    filters=[between_times(datetime(2000, 1, 1, 7).time(), datetime(2000, 1, 1, 20).time())],
    adjustments=[next_weekday],
)


@task
def upcoming():
    return [when.isoformat() for when in schedule.next(4, after=START)]


@task
def starts():
    return schedule.start_date.isoformat()


with Flow("schedules-interval-filters", schedule) as flow:
    upcoming()
    starts()
