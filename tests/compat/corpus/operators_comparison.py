"""Operators: comparisons and boolean helpers on task outputs."""

from prefect import Flow, task


@task
def num(x):
    return x


@task
def collect(values):
    return values


with Flow("operators-comparison") as flow:
    a, b = num(3), num(5)
    collect([a < b, a > b, a <= 3, a >= 4, a.is_equal(3), a.is_not_equal(b), (a < b) & (b < 4)])
