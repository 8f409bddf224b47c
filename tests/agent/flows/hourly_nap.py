"""An hourly flow (from 2025-01-01 UTC) whose one task naps: long enough that runs of a
backfill overlap unless something holds them back."""

import time
from datetime import UTC, datetime

from proctor import flow, task
from proctor.schedules import IntervalSchedule


@task
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@flow(schedule=IntervalSchedule(3600, start_date=datetime(2025, 1, 1, tzinfo=UTC)))
def hourly_nap(seconds: float = 1.0):
    nap(seconds)
