"""Signals: SUCCESS ends a task successfully early, with a result of None."""

from prefect import Flow, task
from prefect.engine.signals import SUCCESS


@task
def quick(x):
    if x:
        raise SUCCESS("done early")
    return "long way"


with Flow("signals-success") as flow:
    quick(True)
    quick(False)
