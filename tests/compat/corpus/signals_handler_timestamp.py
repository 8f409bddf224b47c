"""Signals and handlers: a handler may assign new_state.timestamp; a SKIP with a result
carries it; a FAIL's message reaches downstream as TriggerFailed."""

from datetime import UTC, datetime

from prefect import Flow, task
from prefect.engine import signals
from prefect.engine.state import Skipped

STAMPS = []


def stamp(task, old_state, new_state):
    new_state.timestamp = datetime(2026, 1, 1, tzinfo=UTC)
    STAMPS.append(new_state.timestamp.year)
    return new_state


@task(state_handlers=[stamp])
def skipped_with_value():
    raise signals.SKIP("nothing new", result={"kept": True})


@task
def failing():
    raise signals.FAIL("bad input")


@task
def after(x):
    return x


@task(skip_on_upstream_skip=False)
def years(value):
    return sorted(set(STAMPS))


with Flow("signals-handler-timestamp") as flow:
    kept = skipped_with_value()
    after(failing())
    years(kept, upstream_tasks=[])
