"""Executors: LocalDaskExecutor with processes; results come back from the workers."""

from prefect import Flow, task
from prefect.executors import LocalDaskExecutor


@task
def cube(x):
    return x**3


with Flow("executors-local-dask-processes") as flow:
    cube.map([1, 2, 3])

flow.executor = LocalDaskExecutor(scheduler="processes", num_workers=2)
