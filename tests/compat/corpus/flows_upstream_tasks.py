"""Flows: `upstream_tasks=` orders tasks without passing data."""

from prefect import Flow, task

EVENTS = []


@task
def step(name):
    EVENTS.append(name)
    return list(EVENTS)


with Flow("flows-upstream") as flow:
    first = step("first")
    second = step("second", upstream_tasks=[first])
    step("third", upstream_tasks=[second])
