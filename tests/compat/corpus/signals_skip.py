"""Signals: SKIP ends a task Skipped; downstream tasks are skipped too."""

from prefect import Flow, task
from prefect.engine import signals


@task
def check(x):
    if x > 1:
        raise signals.SKIP("nothing to do")
    return x


@task
def process(x):
    return x * 10


with Flow("signals-skip") as flow:
    process(check(5))
    process(check(1))
