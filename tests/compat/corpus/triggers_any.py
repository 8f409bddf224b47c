"""Triggers: any_successful and any_failed over two upstream tasks."""

from prefect import Flow, task
from prefect.triggers import any_failed, any_successful


@task
def work(ok):
    if not ok:
        raise RuntimeError("failed")
    return ok


@task(trigger=any_successful)
def if_any_ok():
    return "some succeeded"


@task(trigger=any_failed)
def if_any_failed():
    return "some failed"


with Flow("triggers-any") as flow:
    good, bad = work(True), work(False)
    if_any_ok(upstream_tasks=[good, bad])
    if_any_failed(upstream_tasks=[good, bad])
    if_any_failed(upstream_tasks=[good])
