"""Tasks: a task that runs past its timeout fails with TimedOut; downstream TriggerFailed."""

import time

from prefect import Flow, task


@task(timeout=1)
def slow():
    time.sleep(4)
    return "late"


@task
def after(x):
    return x


with Flow("tasks-timeout") as flow:
    after(slow())
