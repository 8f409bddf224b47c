"""State handlers: a flow's handler sees the flow's transitions."""

from prefect import Flow, task

SEEN = []


def record(flow, old_state, new_state):
    SEEN.append(type(new_state).__name__)
    return new_state


@task
def seen_so_far():
    return list(SEEN)


with Flow("state-handlers-flow", state_handlers=[record]) as flow:
    seen_so_far()
