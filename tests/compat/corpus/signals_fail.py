"""Signals: FAIL ends a task Failed with its message; the flow fails."""

from prefect import Flow, task
from prefect.engine.signals import FAIL


@task
def validate(rows):
    if not rows:
        raise FAIL("no rows")
    return rows


@task
def load(rows):
    return len(rows)


with Flow("signals-fail") as flow:
    load(validate([]))
