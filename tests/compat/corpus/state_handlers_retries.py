"""State handlers: the transitions of a task that fails once and is retried, as the
handler sees them (old and new state names)."""

from datetime import timedelta

from prefect import Flow, task

SEEN = []
ATTEMPTS = []


def record(task, old_state, new_state):
    SEEN.append(f"{type(old_state).__name__}->{type(new_state).__name__}")
    return new_state


@task(max_retries=1, retry_delay=timedelta(seconds=0), state_handlers=[record])
def flaky():
    ATTEMPTS.append(1)
    if len(ATTEMPTS) == 1:
        raise RuntimeError("first attempt fails")
    return "second attempt"


@task
def transitions(value):
    return list(SEEN)


with Flow("state-handlers-retries") as flow:
    transitions(flaky())
