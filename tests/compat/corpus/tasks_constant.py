"""Tasks: the Constant task, and plain values given as task inputs."""

from prefect import Flow, task
from prefect.tasks.core.constants import Constant


@task
def join(a, b, sep):
    return f"{a}{sep}{b}"


with Flow("tasks-constant") as flow:
    hello = Constant("hello", name="hello")
    join(hello, "world", sep=" ")
