"""Control flow: switch runs the task for the matching value; the others are skipped."""

from prefect import Flow, task
from prefect.tasks.control_flow import switch


@task
def pick():
    return "b"


@task
def branch(name):
    return f"branch {name}"


with Flow("control-switch") as flow:
    a, b, c = branch("a"), branch("b"), branch("c")
    switch(pick(), {"a": a, "b": b, "c": c})
