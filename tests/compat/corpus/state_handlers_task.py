"""State handlers: a task's handler sees each transition and may replace the new state."""

from prefect import Flow, task
from prefect.engine.state import Failed, Success

SEEN = []


def record(task, old_state, new_state):
    SEEN.append(type(new_state).__name__)
    return new_state


def forgive(task, old_state, new_state):
    if isinstance(new_state, Failed):
        return Success(message="forgiven", result="recovered")
    return new_state


@task(state_handlers=[record])
def watched():
    return 1


@task(state_handlers=[forgive])
def fails():
    raise ValueError("oops")


@task
def seen(x):
    return list(SEEN)


with Flow("state-handlers-task") as flow:
    seen(watched())
    fails()
