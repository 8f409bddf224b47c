"""`LocalExecutor`: runs each task run in this thread, one after another.

The default, and the fastest for small tasks: no thread hand-off, no pickling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proctor.core.executors.base import Completed, Executor
from proctor.core.runner.task_runner import run_task

if TYPE_CHECKING:
    from proctor.core.runner.unit import TaskRunUnit


class LocalExecutor(Executor):
    """Run task runs sequentially in the flow runner's own thread."""

    reports_start = True

    def __init__(self) -> None:
        super().__init__()
        self._done: Completed = []

    def submit(self, units: list[TaskRunUnit]) -> None:
        flow_context = self.flow_context
        assert flow_context is not None, "start() must be called before submit()"
        on_start = self.on_start
        done = self._done
        for unit in units:
            done.append((unit, run_task(unit, flow_context, on_start)))

    def completed(self, timeout: float | None) -> Completed:
        done, self._done = self._done, []
        return done

    @property
    def in_flight(self) -> int:
        return len(self._done)


__all__ = ["LocalExecutor"]
