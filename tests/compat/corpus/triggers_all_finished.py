"""Triggers: all_finished (always_run) runs whatever happened upstream."""

from prefect import Flow, task
from prefect.triggers import all_finished, always_run


@task
def fails():
    raise ValueError("broken")


@task(trigger=all_finished)
def finished(x):
    return f"saw {type(x).__name__}"


@task(trigger=always_run)
def always():
    return "ran"


with Flow("triggers-all-finished") as flow:
    broken = fails()
    finished(broken)
    always(upstream_tasks=[broken])

flow.set_reference_tasks([flow.get_tasks(name="finished")[0]])
