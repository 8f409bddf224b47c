"""A flow whose only task sleeps: for interrupting a run with Ctrl-C."""

import time

from proctor import flow, task


@task
def nap(seconds: float) -> None:
    time.sleep(seconds)


@flow
def sleepy(seconds: float = 30.0):
    nap(seconds)
