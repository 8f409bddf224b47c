"""Tasks: `nout=2` lets a task's tuple result be unpacked into two task outputs."""

from prefect import Flow, task


@task(nout=2)
def split(n):
    return n // 2, n % 2


@task
def describe(half, rest):
    return f"{half} and {rest}"


with Flow("tasks-nout") as flow:
    half, rest = split(7)
    describe(half, rest)
