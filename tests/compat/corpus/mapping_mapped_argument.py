"""Mapping: `mapped(x)` as a call argument maps over it; the other arguments are passed
whole, whether they are constants, parameters or other tasks' outputs."""

from prefect import Flow, Parameter, mapped, task


@task
def numbers():
    return [1, 2, 3]


@task
def scale(x, factor, offset):
    return x * factor + offset


@task
def label(prefix, value):
    return f"{prefix}{value}"


with Flow("mapping-mapped-argument") as flow:
    factor = Parameter("factor", default=10)
    scaled = scale(mapped(numbers()), factor, offset=1)
    label("n=", mapped(scaled))
    label(mapped(["a", "b"]), mapped([5, 6]))

PARAMETERS = {"factor": 100}
