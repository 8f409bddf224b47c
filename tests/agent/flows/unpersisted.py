"""The same failure as `replayable`, but nothing persists results."""

from proctor import flow, task


@task
def load(n: int) -> list[int]:
    return [10 * n, 20 * n]


@task
def share(values: list[int]) -> list[float]:
    total = sum(values)
    return [value / total for value in values]


@flow
def unpersisted(n: int = 0):
    share(load(n))
