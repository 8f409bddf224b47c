"""Imperative API: add_task, then set_dependencies with upstream tasks and keywords."""

from prefect import Flow, task

ORDER = []


@task
def first():
    ORDER.append("first")
    return 2


@task
def second(x):
    ORDER.append("second")
    return [x, list(ORDER)]


flow = Flow("imperative-add-task")
flow.add_task(first)
flow.set_dependencies(task=second, keyword_tasks=dict(x=first))
