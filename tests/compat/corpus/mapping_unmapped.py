"""Mapping: `unmapped` passes the same value to every child; two mapped inputs zip."""

from prefect import Flow, task, unmapped


@task
def combine(x, y, offset):
    return x * y + offset


with Flow("mapping-unmapped") as flow:
    combine.map([1, 2, 3], [10, 20, 30], offset=unmapped(5))
