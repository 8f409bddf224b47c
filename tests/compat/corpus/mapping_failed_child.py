"""Mapping: one failing child; an `all_finished` reduce still runs and sees the error."""

from prefect import Flow, task
from prefect.triggers import all_finished


@task
def invert(x):
    return 1 / x


@task(trigger=all_finished)
def summary(values):
    return [type(v).__name__ for v in values]


with Flow("mapping-failed-child") as flow:
    summary(invert.map([1, 0, 4]))
