"""A flow whose run fails: one mapped child raises, and the task after it never runs."""

from proctor import flow, task


@task
def items() -> list[int]:
    return [1, 2, 0, 4]


@task
def invert(x: int) -> float:
    return 1 / x


@task
def report(values: list[float]) -> str:
    return f"{len(values)} values"


@task
def broken() -> None:
    raise RuntimeError("the database is down")


@flow
def fragile():
    report(invert.map(items()))
    broken()
