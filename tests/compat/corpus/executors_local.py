"""Executors: LocalExecutor set on the flow."""

from prefect import Flow, task
from prefect.executors import LocalExecutor


@task
def inc(x):
    return x + 1


with Flow("executors-local", executor=LocalExecutor()) as flow:
    inc.map([1, 2, 3])
