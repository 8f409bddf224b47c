"""A flow scheduled every 2 seconds."""

from proctor import flow, task
from proctor.schedules import IntervalSchedule


@task
def tick() -> str:
    return "tick"


@flow(schedule=IntervalSchedule(2))
def every_two_seconds():
    tick()
