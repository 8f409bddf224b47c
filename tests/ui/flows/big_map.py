"""A run with one big map, for following thousands of task runs live in the browser."""

from __future__ import annotations

from proctor import flow, task


@task
def first() -> int:
    return 1


@task
def items(count: int, offset: int) -> list[int]:
    return [offset + i for i in range(count)]


@task
def work(item: int) -> int:
    return item * 2


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def big_map(count: int = 1000):
    """Map one tiny task over `count` items and add the results up."""
    total(work.map(items(count, first())))
