"""Retries: when every run fails the task ends Failed with the last error."""

from datetime import timedelta

import prefect
from prefect import Flow, task


@task(max_retries=1, retry_delay=timedelta(seconds=0))
def always_fails():
    raise RuntimeError(f"run {prefect.context.get('task_run_count')}")


@task
def after(x):
    return x


with Flow("retries-exhausted") as flow:
    after(always_fails())
