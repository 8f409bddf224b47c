"""State handlers: `on_failure` is called with the task and its Failed state."""

from prefect import Flow, task
from prefect.triggers import all_finished

CALLS = []


def note(task, state):
    CALLS.append([task.name, type(state).__name__])


@task(on_failure=note)
def bad():
    raise KeyError("missing")


@task(on_failure=note)
def good():
    return "fine"


@task(trigger=all_finished)
def calls():
    return list(CALLS)


with Flow("hooks-on-failure") as flow:
    b, g = bad(), good()
    calls(upstream_tasks=[b, g])
