"""A task that sleeps through a cancellation (it never checks): the hard-stop path."""

import time

from proctor import flow, task


@task
def start() -> int:
    return 1


@task
def nap(x: int, seconds: float) -> int:
    time.sleep(seconds)
    return x


@task
def after(x: int) -> int:
    return x


@flow
def sleepy(seconds: float = 120.0):
    after(nap(start(), seconds))
