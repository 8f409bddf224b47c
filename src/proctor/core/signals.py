"""Signals: exceptions a task raises to choose its own outcome.

Control flow as exceptions, outcomes as data: the task runner catches a signal and turns it
into the state the signal names.

    ProctorSignal
    ├── FAIL            -> Failed
    │   └── TRIGGERFAIL -> TriggerFailed (raised by triggers)
    ├── SKIP            -> Skipped
    ├── RETRY           -> Retrying (optionally at `start_time`)
    ├── PAUSE           -> Paused (waits for approval)
    ├── SUCCESS         -> Success (with `result`)
    ├── LOOP            -> Looped: the task runs again at once, `result` handed on
    └── ENDRUN          -> the `state` it carries, as is

A signal raised without `result=` carries itself as the state's result (as 1.x does): a
skipped task's value is its SKIP, a TriggerFailed's is the TRIGGERFAIL that explains it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from proctor.core import states

_UNSET: Any = object()


class ProctorSignal(Exception):
    """Base of every signal. `result` becomes the value of the resulting state (the
    signal itself when none is given)."""

    state_type: type[states.State] = states.State

    def __init__(self, message: str | None = None, *, result: Any = _UNSET) -> None:
        super().__init__(message)
        self.message = message
        self.result = self if result is _UNSET else result

    def to_state(self) -> states.State:
        return self.state_type(self.message, self.result)


class FAIL(ProctorSignal):
    """End the task run as Failed."""

    state_type = states.Failed


class TRIGGERFAIL(FAIL):
    """A trigger did not pass: the task run ends TriggerFailed without running."""

    state_type = states.TriggerFailed


class SKIP(ProctorSignal):
    """End the task run as Skipped; downstream tasks skip too unless told otherwise."""

    state_type = states.Skipped


class SUCCESS(ProctorSignal):
    """End the task run as Success, with `result` as its value."""

    state_type = states.Success


class PAUSE(ProctorSignal):
    """Stop here until somebody approves the task run (`resume=` or the UI)."""

    state_type = states.Paused


class LOOP(ProctorSignal):
    """Run the task again at once; the next iteration finds `result` (and the iteration
    number) in the context as `task_loop_result` / `task_loop_count`."""

    state_type = states.Looped


class RETRY(ProctorSignal):
    """Retry the task run now, or at `start_time`, even beyond its `retries` budget."""

    state_type = states.Retrying

    def __init__(
        self,
        message: str | None = None,
        *,
        start_time: datetime | float | None = None,
        result: Any = _UNSET,
    ) -> None:
        super().__init__(message, result=result)
        if isinstance(start_time, datetime):
            start_time = start_time.timestamp()
        self.start_time = start_time


class ENDRUN(ProctorSignal):
    """End the task run in exactly the given state."""

    def __init__(self, state: states.State) -> None:
        super().__init__(state.message)
        self.state = state

    def to_state(self) -> states.State:
        return self.state


__all__ = [
    "ENDRUN",
    "FAIL",
    "LOOP",
    "PAUSE",
    "RETRY",
    "SKIP",
    "SUCCESS",
    "TRIGGERFAIL",
    "ProctorSignal",
]
