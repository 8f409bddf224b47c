"""Mapping: `task.map(upstream_tasks=[t])` with no data argument maps over `t`: one child
per element, each after the upstream child of the same index (a failed child stops its
own child only)."""

from prefect import Flow, task, unmapped
from prefect.engine.signals import SKIP


@task
def numbers():
    return [1, 2, 3, 4]


@task
def check(x):
    if x == 2:
        raise ValueError("two is not allowed")
    if x == 4:
        raise SKIP("four is skipped")
    return x


@task
def after_each():
    return "ran"


@task
def setup():
    return "ready"


@task
def per_item():
    return "item"


with Flow("mapping-upstream-tasks") as flow:
    items = numbers()
    checked = check.map(items)
    after_each.map(upstream_tasks=[checked])
    per_item.map(upstream_tasks=[items, unmapped(setup)])
