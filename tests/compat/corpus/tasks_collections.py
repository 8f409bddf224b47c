"""Tasks: lists, tuples and dicts of task outputs passed as one input."""

from prefect import Flow, task


@task
def num(x):
    return x


@task
def total(values, weights):
    return sum(v * weights[k] for k, v in zip("abc", values))


with Flow("tasks-collections") as flow:
    a, b, c = num(1), num(2), num(3)
    total([a, b, c], {"a": 1, "b": a, "c": c})
