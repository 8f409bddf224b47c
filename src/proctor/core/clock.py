"""Clocks: where a flow run reads the time and waits.

The flow runner's walk over the graph never reads the time or waits itself; the loop that
drives it asks a `Clock`. Times are epoch seconds, as in the states a run reports
(`Retrying.start_time`, `Scheduled.start_time`), which outlive the process that made them.

- `RealClock` (the default): `time.time()`, and real waits on the executor, the gate and
  the run's cancel event.
- `FakeClock`: time moves only when the run waits for it, and then at once; work takes no
  time. Retry, backoff and requeue behaviour is tested on it without sleeping, and the
  waits it was asked for (`waits`) are exact.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from proctor.core.concurrency_limits import Admission, TaskGate


class Clock(Protocol):
    """The time source and the waits of one flow run."""

    def now(self) -> float:
        """The current time, epoch seconds."""
        ...

    def sleep_until(self, deadline: float, cancel: threading.Event) -> bool:
        """Wait until `deadline` unless `cancel` is set first; True when it was."""
        ...

    def wait_timeout(self, deadline: float | None, patience: float) -> float | None:
        """How long to block waiting for the executor to finish a task run: at most
        `patience` seconds and not past `deadline` (when something else is due then);
        None: until one finishes."""
        ...

    def wait_admitted(self, gate: TaskGate, deadline: float | None, patience: float) -> Admission:
        """What the gate admits, waiting at most `patience` seconds and not past
        `deadline`."""
        ...


class RealClock:
    """Wall-clock time; waits block this thread. Stateless, so it ships to workers."""

    # The builtin itself: no Python frame per reading on the engine's hot path.
    now = staticmethod(time.time)

    def sleep_until(self, deadline: float, cancel: threading.Event) -> bool:
        return cancel.wait(max(0.0, deadline - time.time()))

    def wait_timeout(self, deadline: float | None, patience: float) -> float | None:
        if deadline is None:
            return patience
        return min(patience, max(0.0, deadline - time.time()))

    def wait_admitted(self, gate: TaskGate, deadline: float | None, patience: float) -> Admission:
        if deadline is None:
            return gate.poll(patience)
        return gate.poll(min(patience, max(0.0, deadline - time.time())))

    def __repr__(self) -> str:
        return "RealClock()"


#: The clock every run uses unless given another.
REAL_CLOCK = RealClock()


class FakeClock:
    """Virtual time for tests: `sleep_until` jumps to its deadline at once, and task runs
    take no time (waiting for the executor blocks until one finished, whatever the
    deadline). `waits` lists every (from, until) jump, in order."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self.waits: list[tuple[float, float]] = []

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` (a test standing in for time passing)."""
        self._jump(self._now + seconds)

    def sleep_until(self, deadline: float, cancel: threading.Event) -> bool:
        if cancel.is_set():
            return True
        self._jump(deadline)
        return False

    def wait_timeout(self, deadline: float | None, patience: float) -> float | None:
        return None  # work takes no time: a task run's end comes before any deadline

    def wait_admitted(self, gate: TaskGate, deadline: float | None, patience: float) -> Admission:
        admission = gate.poll(0.0)
        if not admission[0]:
            # Nobody was admitted in no time: the wait ran its course.
            later = self._now + patience
            self._jump(later if deadline is None else min(deadline, later))
        return admission

    def _jump(self, until: float) -> None:
        if until > self._now:
            self.waits.append((self._now, until))
            self._now = until

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now!r})"


__all__ = ["REAL_CLOCK", "Clock", "FakeClock", "RealClock"]
