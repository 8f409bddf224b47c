"""`map N` + reduce, on the flow's default (local) executor."""

from proctor import flow, task


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def mapped(n: int = 1000):
    total(double.map(numbers(n)))
