"""`map N` + reduce on a temporary two-worker Dask cluster."""

from proctor import Flow, Parameter, task
from proctor.executors import DaskExecutor


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def square(x: int) -> int:
    return x * x


@task
def total(values: list[int]) -> int:
    return sum(values)


with Flow(
    "dask-mapped",
    executor=DaskExecutor(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1}),
) as dask_mapped:
    total(square.map(numbers(Parameter("n", default=1000, type=int))))
