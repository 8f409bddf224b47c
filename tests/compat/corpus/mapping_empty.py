"""Mapping: a map over an empty list has no children; the reduce gets an empty list."""

from prefect import Flow, task


@task
def nothing():
    return []


@task
def inc(x):
    return x + 1


@task
def count(xs):
    return len(xs)


with Flow("mapping-empty") as flow:
    count(inc.map(nothing()))
