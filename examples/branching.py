"""Branching with `case` and `merge`: big inputs take one path, small ones another."""

from __future__ import annotations

from proctor import case, flow, merge, task


@task
def measure(size: int) -> bool:
    return size > 100


@task
def split_into_chunks(size: int) -> str:
    return f"split {size} rows into {size // 100 + 1} chunks"


@task
def process_at_once(size: int) -> str:
    return f"processed {size} rows at once"


@task
def report(summary: str) -> str:
    print(summary)
    return summary


@flow
def branching(size: int = 42):
    """Choose a strategy by input size."""
    is_big = measure(size)
    with case(is_big, True):
        big = split_into_chunks(size)
    with case(is_big, False):
        small = process_at_once(size)
    report(merge(big, small))


if __name__ == "__main__":
    for size in (42, 420):
        state = branching.run(size=size)
        assert state.is_successful(), state
