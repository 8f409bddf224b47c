"""Retries: max_retries with a zero delay; the third run succeeds."""

from datetime import timedelta

import prefect
from prefect import Flow, task


@task(max_retries=3, retry_delay=timedelta(seconds=0))
def flaky():
    count = prefect.context.get("task_run_count")
    if count < 3:
        raise ConnectionError(f"attempt {count}")
    return count


with Flow("retries-max-retries") as flow:
    flaky()
