"""Schedules: a cron schedule with a filter; next() lists the coming times."""

from datetime import UTC, datetime

from prefect import Flow, task
from prefect.schedules import Schedule
from prefect.schedules.clocks import CronClock
from prefect.schedules.filters import is_weekday

schedule = Schedule(clocks=[CronClock("0 9 * * *")], filters=[is_weekday])
AFTER = datetime(2026, 3, 6, 12, tzinfo=UTC)  # a Friday noon


@task
def upcoming():
    return [when.isoformat() for when in schedule.next(3, after=AFTER)]


with Flow("schedules-cron", schedule=schedule) as flow:
    upcoming()
