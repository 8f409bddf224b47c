"""Caching: cache_for with the all_inputs validator; a second call with the same input in
the same flow run computes again (each task has its own cache)."""

from datetime import timedelta

from prefect import Flow, task
from prefect.engine.cache_validators import all_inputs

CALLS = []


@task(cache_for=timedelta(minutes=5), cache_validator=all_inputs)
def expensive(x):
    CALLS.append(x)
    return x * 100


@task
def calls(a, b):
    return len(CALLS)


with Flow("caching-validators") as flow:
    first = expensive(1)
    second = expensive(2)
    calls(first, second)
