"""Mapping: `flatten` maps over the items of a list of lists."""

from prefect import Flow, flatten, task


@task
def ranges(n):
    return list(range(n))


@task
def label(x):
    return f"item-{x}"


with Flow("mapping-flatten") as flow:
    nested = ranges.map([1, 2, 3])
    label.map(flatten(nested))
