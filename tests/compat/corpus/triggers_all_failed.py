"""Triggers: all_failed runs a clean-up only when its upstream failed."""

from prefect import Flow, task
from prefect.triggers import all_failed


@task
def work(ok):
    if not ok:
        raise RuntimeError("work failed")
    return "worked"


@task(trigger=all_failed)
def on_failure():
    return "cleaned up"


with Flow("triggers-all-failed") as flow:
    on_failure(upstream_tasks=[work(False)])
    on_failure(upstream_tasks=[work(True)])
