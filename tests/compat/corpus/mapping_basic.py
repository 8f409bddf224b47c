"""Mapping: a task mapped over a list; the reduce sees the children's results in order."""

from prefect import Flow, task


@task
def numbers():
    return [1, 2, 3, 4]


@task
def square(x):
    return x * x


@task
def total(xs):
    return sum(xs)


with Flow("mapping-basic") as flow:
    total(square.map(numbers()))
