"""Mapping: a map over a map runs child by child (nested maps)."""

from prefect import Flow, task


@task
def inc(x):
    return x + 1


@task
def double(x):
    return 2 * x


with Flow("mapping-chained") as flow:
    double.map(inc.map([1, 2, 3]))
