"""Signals: RETRY asks for another run; the second run succeeds."""

from datetime import timedelta

import prefect
from prefect import Flow, task
from prefect.engine.signals import RETRY


@task(max_retries=2, retry_delay=timedelta(seconds=0))
def flaky():
    if prefect.context.get("task_run_count") < 2:
        raise RETRY("not yet")
    return prefect.context.get("task_run_count")


with Flow("signals-retry") as flow:
    flaky()
