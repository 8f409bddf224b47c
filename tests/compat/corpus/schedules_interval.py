"""Schedules: a flow with an interval schedule runs once, now, when run locally."""

from datetime import UTC, datetime, timedelta

from prefect import Flow, task
from prefect.schedules import IntervalSchedule


@task
def tick():
    return "tick"


schedule = IntervalSchedule(
    start_date=datetime(2026, 1, 1, tzinfo=UTC), interval=timedelta(hours=1)
)

with Flow("schedules-interval", schedule=schedule) as flow:
    tick()
