"""Triggers: decide from the upstream states whether a task may run.

A trigger is any callable `(upstream_states: list[State]) -> bool`. Returning False (or
raising TRIGGERFAIL) makes the task run TriggerFailed; raising PAUSE pauses it. A mapped
upstream counts as its children, so a reduce step sees every child that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from proctor.core import signals
from proctor.core.states import Mapped, State

Trigger = Callable[[Sequence[State]], bool]


def _flat(upstream: Sequence[State]) -> Iterator[State]:
    for state in upstream:
        if isinstance(state, Mapped) and state.map_states:
            yield from state.map_states
        else:
            yield state


def all_successful(upstream: Sequence[State]) -> bool:
    """Run when every upstream task succeeded (the default)."""
    for state in _flat(upstream):
        if not state.is_successful():
            raise signals.TRIGGERFAIL(f"Trigger all_successful: an upstream task is {state.name}")
    return True


def all_failed(upstream: Sequence[State]) -> bool:
    """Run only when every upstream task failed (clean-up after a total failure)."""
    for state in _flat(upstream):
        if not state.is_failed():
            raise signals.TRIGGERFAIL(f"Trigger all_failed: an upstream task is {state.name}")
    return True


def all_finished(upstream: Sequence[State]) -> bool:
    """Run once every upstream task finished, whatever the outcome (always true here)."""
    for state in _flat(upstream):
        if not state.is_finished():
            raise signals.TRIGGERFAIL(f"Trigger all_finished: an upstream task is {state.name}")
    return True


always_run = all_finished


def any_successful(upstream: Sequence[State]) -> bool:
    """Run when at least one upstream task succeeded (or there are none)."""
    states = list(_flat(upstream))
    if states and not any(state.is_successful() for state in states):
        raise signals.TRIGGERFAIL("Trigger any_successful: no upstream task succeeded")
    return True


def any_failed(upstream: Sequence[State]) -> bool:
    """Run when at least one upstream task failed (or there are none)."""
    states = list(_flat(upstream))
    if states and not any(state.is_failed() for state in states):
        raise signals.TRIGGERFAIL("Trigger any_failed: no upstream task failed")
    return True


def not_all_skipped(upstream: Sequence[State]) -> bool:
    """Run unless every upstream task was skipped; used by `merge`."""
    states = list(_flat(upstream))
    if states and all(state.is_skipped() for state in states):
        raise signals.SKIP("All upstream tasks were skipped")
    for state in states:
        if state.is_failed():
            raise signals.TRIGGERFAIL(f"Trigger not_all_skipped: an upstream task is {state.name}")
    return True


def manual_only(upstream: Sequence[State]) -> bool:
    """Never run on its own: pause until somebody approves this task run."""
    raise signals.PAUSE("Waiting for approval (manual_only trigger)")


def _share(bound: int | float | None, total: int) -> float | None:
    # A float between 0 and 1 is a share of the upstream states; anything else a count.
    if bound is None:
        return None
    if isinstance(bound, float) and 0 <= bound <= 1:
        return bound * total
    return float(bound)


def _counting_trigger(
    label: str,
    counts: Callable[[State], bool],
    at_least: int | float | None,
    at_most: int | float | None,
) -> Trigger:
    def counting_trigger(upstream: Sequence[State]) -> bool:
        states = list(_flat(upstream))
        count = sum(1 for state in states if counts(state))
        low, high = _share(at_least, len(states)), _share(at_most, len(states))
        if low is not None and count < low:
            raise signals.TRIGGERFAIL(f"{count} upstream {label}, need at least {at_least}")
        if high is not None and count > high:
            raise signals.TRIGGERFAIL(f"{count} upstream {label}, allowed at most {at_most}")
        return True

    counting_trigger.__name__ = f"some_{label}({at_least}, {at_most})"
    return counting_trigger


def some_successful(
    at_least: int | float | None = None, at_most: int | float | None = None
) -> Trigger:
    """Run when the number (int) or share (float in 0..1) of successes is within bounds."""
    return _counting_trigger("successful", State.is_successful, at_least, at_most)


def some_failed(at_least: int | float | None = None, at_most: int | float | None = None) -> Trigger:
    """Run when the number (int) or share (float in 0..1) of failures is within bounds."""
    return _counting_trigger("failed", State.is_failed, at_least, at_most)


def trigger_name(trigger: Trigger) -> str:
    return getattr(trigger, "__name__", type(trigger).__name__)


__all__ = [
    "Trigger",
    "all_failed",
    "all_finished",
    "all_successful",
    "always_run",
    "any_failed",
    "any_successful",
    "manual_only",
    "not_all_skipped",
    "some_failed",
    "some_successful",
    "trigger_name",
]
