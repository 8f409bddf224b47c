"""State handlers: a handler that forgives the first failure means no retry happens; a
timed-out attempt is retried, the handler seeing TimedOut and then Retrying."""

import time
from datetime import timedelta

from prefect import Flow, task
from prefect.engine.state import Failed, Success

SEEN = []
SLOW = []


def forgive_once(task, old_state, new_state):
    SEEN.append(f"{type(old_state).__name__}->{type(new_state).__name__}")
    if isinstance(new_state, Failed) and len([s for s in SEEN if s.endswith("Failed")]) == 1:
        return Success("forgiven", result="forgiven")
    return new_state


def record(task, old_state, new_state):
    SEEN.append(f"slow {type(old_state).__name__}->{type(new_state).__name__}")
    return new_state


@task(max_retries=2, retry_delay=timedelta(seconds=0), state_handlers=[forgive_once])
def fails():
    raise RuntimeError("always")


@task(max_retries=1, retry_delay=timedelta(seconds=0), timeout=1, state_handlers=[record])
def slow_once():
    SLOW.append(1)
    if len(SLOW) == 1:
        time.sleep(3)
    return "fast enough"


@task
def seen(a, b):
    return list(SEEN)


with Flow("state-handlers-retry-forgiven") as flow:
    seen(fails(), slow_once())
