"""Executors: DaskExecutor with a temporary local cluster."""

from prefect import Flow, task
from prefect.executors import DaskExecutor


@task
def inc(x):
    return x + 1


@task
def total(xs):
    return sum(xs)


with Flow("executors-dask") as flow:
    total(inc.map([1, 2, 3]))

flow.executor = DaskExecutor(
    cluster_kwargs={"n_workers": 1, "threads_per_worker": 2, "dashboard_address": None}
)
