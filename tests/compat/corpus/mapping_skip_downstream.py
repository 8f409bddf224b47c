"""Mapping: a skipped child skips its own downstream child only."""

from prefect import Flow, task
from prefect.engine.signals import SKIP


@task
def gate(x):
    if x < 0:
        raise SKIP("negative")
    return x


@task
def inc(x):
    return x + 1


with Flow("mapping-skip-downstream") as flow:
    inc.map(gate.map([1, -1, 2]))
