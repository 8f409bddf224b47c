"""State handlers: a handler that turns a failure into a skip; downstream skips too, and a
flow-level handler records the flow run's transitions."""

from prefect import Flow, task
from prefect.engine import signals
from prefect.engine.state import Failed, Skipped

FLOW_SEEN = []


def failure_is_skip(task, old_state, new_state):
    if isinstance(new_state, Failed):
        return Skipped("treated as skipped", result=None)
    return new_state


def flow_record(flow, old_state, new_state):
    FLOW_SEEN.append(type(new_state).__name__)
    return new_state


@task(state_handlers=[failure_is_skip])
def optional_step():
    raise signals.FAIL("not available today")


@task
def after(value):
    return "ran"


@task
def independent():
    return len(FLOW_SEEN)


with Flow("state-handlers-skip", state_handlers=[flow_record]) as flow:
    after(optional_step())
    independent()
