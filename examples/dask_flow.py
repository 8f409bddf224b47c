"""Scale out with Dask: the same mapped flow, run on a temporary local Dask cluster.

Pass `address="tcp://scheduler:8786"` to `DaskExecutor` to use an existing cluster.
"""

from __future__ import annotations

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
    "dask-squares",
    executor=DaskExecutor(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1}),
) as dask_flow:
    total(square.map(numbers(Parameter("n", default=100, type=int))))


# Dask starts worker processes: keep the run behind this guard.
if __name__ == "__main__":
    state = dask_flow.run(n=100)
    assert state.is_successful(), state
    print("sum of squares:", state.result["total"].result)
