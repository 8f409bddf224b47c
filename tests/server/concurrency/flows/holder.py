"""A task tagged "lock" that holds its slot for `seconds` (no retries)."""

import time

from proctor import flow, task


@task(tags=["lock"])
def hold(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@flow
def holder(seconds: float = 60.0):
    hold(seconds)
