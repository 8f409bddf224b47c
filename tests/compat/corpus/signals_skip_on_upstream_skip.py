"""Signals: a task with skip_on_upstream_skip=False runs after a skipped upstream."""

from prefect import Flow, task
from prefect.engine.signals import SKIP


@task
def maybe():
    raise SKIP("skipped on purpose")


@task(skip_on_upstream_skip=False)
def report(x):
    return f"got {x!r}"


with Flow("signals-skip-on-upstream-skip") as flow:
    report(maybe())
