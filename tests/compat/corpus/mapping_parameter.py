"""Mapping: a map over a Parameter's list value, with a child that skips."""

from prefect import Flow, Parameter, task
from prefect.engine.signals import SKIP


@task
def keep_even(x):
    if x % 2:
        raise SKIP(f"{x} is odd")
    return x


with Flow("mapping-parameter") as flow:
    xs = Parameter("xs", default=[1, 2])
    keep_even.map(xs)

PARAMETERS = {"xs": [2, 3, 4, 5]}
