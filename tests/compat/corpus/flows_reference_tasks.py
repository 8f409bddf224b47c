"""Flows: reference tasks decide the flow's state; a failure elsewhere does not count."""

from prefect import Flow, task


@task
def ok():
    return "fine"


@task
def broken():
    raise RuntimeError("not a reference task")


with Flow("flows-reference") as flow:
    good = ok()
    broken()

flow.set_reference_tasks([good])
