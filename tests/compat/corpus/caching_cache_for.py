"""Caching: the second call of a task with cache_for and the same inputs is Cached."""

from datetime import timedelta

from prefect import Flow, task
from prefect.engine.cache_validators import all_inputs

CALLS = []


@task(cache_for=timedelta(hours=1), cache_validator=all_inputs)
def expensive(x):
    CALLS.append(x)
    return x * 100


@task
def calls():
    return list(CALLS)


with Flow("caching-cache-for") as flow:
    first = expensive(1)
    second = expensive(1, upstream_tasks=[first])
    third = expensive(2, upstream_tasks=[second])
    calls(upstream_tasks=[third])
