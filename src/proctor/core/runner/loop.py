"""The loop that drives a `Walk`: it asks for decisions and carries them out.

All the waiting of a flow run is here, on an injected `Clock`: for the executor to finish
task runs, for the gate to admit held-back ones, or until a retry is due. The walk itself
only decides (`proctor.core.runner.walk`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from proctor.core.runner.walk import Submit, Wait, Walk

if TYPE_CHECKING:
    from proctor.core.clock import Clock
    from proctor.core.concurrency_limits import Admission, TaskGate
    from proctor.core.executors.base import Executor
    from proctor.core.runner.unit import TaskRunUnit

#: How often the loop looks at its gate while task runs wait there for a slot.
GATE_POLL_SECONDS = 0.05
#: The longest single wait for the executor or the gate, so a cancellation is seen soon.
PATIENCE_SECONDS = 0.5


def drive(
    walk: Walk,
    executor: Executor,
    clock: Clock,
    cancel: threading.Event,
    gate: TaskGate | None = None,
) -> None:
    """Run `walk` to its end (done, requeued or cancelled) with `executor`."""
    executor.start(walk.context, walk.started if walk.observers else None)
    step, now, completed = walk.step, clock.now, walk.completed
    # Read once, for the hot path (a chain: one submit and one wait per task run): whether
    # the walk reports Submitted states, and how long to wait when no retry is due.
    announce = bool(walk.observers) and not walk.reports_start
    idle = clock.wait_timeout(None, PATIENCE_SECONDS)
    while True:
        if cancel.is_set():
            walk.cancel()
            return
        decision = step(now())
        if type(decision) is Submit:
            units = decision.units
            if gate is not None:
                units = _admit(walk, gate, units, announce)
            elif announce:
                walk.handed_over(units)
            if units:
                executor.submit(units)
        elif type(decision) is not Wait:
            return  # done, or requeued for a far-away retry
        until = decision.until
        # Without a gate, what the walk handed out and the executor holds are the same.
        if gate is None and until is None and walk.outstanding:
            for unit, state in executor.completed(idle):
                completed(unit, state)
        else:
            _wait(walk, executor, clock, cancel, gate, until)


def _wait(
    walk: Walk,
    executor: Executor,
    clock: Clock,
    cancel: threading.Event,
    gate: TaskGate | None,
    until: float | None,
) -> None:
    """Wait for what the walk waits for, and tell it what happened meanwhile."""
    held = gate is not None and gate.waiting
    if executor.in_flight or (walk.outstanding and not held):
        # Task runs waiting at the gate are looked at again every GATE_POLL_SECONDS.
        patience = GATE_POLL_SECONDS if held else PATIENCE_SECONDS
        completed = walk.completed
        for unit, state in executor.completed(clock.wait_timeout(until, patience)):
            if gate is not None:
                gate.release(unit, state)
            completed(unit, state)
        if held:
            _pass_on(walk, executor, gate, gate.poll(0.0))  # type: ignore[arg-type, union-attr]
    elif held:
        # Only held-back task runs are left: wait for the gate to admit some.
        admission = clock.wait_admitted(gate, until, PATIENCE_SECONDS)  # type: ignore[arg-type]
        _pass_on(walk, executor, gate, admission)  # type: ignore[arg-type]
    elif until is not None:
        clock.sleep_until(until, cancel)


def _admit(
    walk: Walk, gate: TaskGate, units: list[TaskRunUnit], announce: bool
) -> list[TaskRunUnit]:
    """What of `units` may start now, plus task runs the gate admitted meanwhile (each
    reported Submitted once: by the walk, or by a gate that `announces`); the gate keeps
    the rest, which are reported Queued."""
    passing: list[TaskRunUnit] = []
    held: list[TaskRunUnit] = []
    for unit in units:
        (held if gate.applies_to(unit.task) else passing).append(unit)
    if held:
        gate.request(held)
    granted = _granted(walk, gate.poll(0.0))
    if announce:
        walk.handed_over(passing if gate.announces else passing + granted)
    return passing + granted


def _granted(walk: Walk, admission: Admission) -> list[TaskRunUnit]:
    """The task runs the gate admitted; those it newly holds back are reported Queued."""
    granted, queued = admission
    for unit, message in queued:
        walk.queued(unit, message)
    return granted


def _pass_on(walk: Walk, executor: Executor, gate: TaskGate, admission: Admission) -> None:
    units = _granted(walk, admission)
    if units:
        if not gate.announces:
            walk.handed_over(units)
        executor.submit(units)


__all__ = ["GATE_POLL_SECONDS", "drive"]
