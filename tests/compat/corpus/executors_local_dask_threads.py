"""Executors: LocalDaskExecutor with threads runs mapped children side by side."""

from prefect import Flow, task
from prefect.executors import LocalDaskExecutor


@task
def square(x):
    return x * x


@task
def total(xs):
    return sum(xs)


with Flow("executors-local-dask-threads") as flow:
    total(square.map(list(range(10))))

flow.executor = LocalDaskExecutor(scheduler="threads", num_workers=2)
