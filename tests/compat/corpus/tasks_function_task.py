"""Tasks: FunctionTask wraps a plain function, with a name of its own."""

from prefect import Flow
from prefect.tasks.core.function import FunctionTask


def double(x):
    return 2 * x


doubler = FunctionTask(double, name="doubler")

with Flow("function-task") as flow:
    first = doubler(4)
    doubler(first)
