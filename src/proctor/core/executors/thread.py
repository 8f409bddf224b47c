"""`ThreadExecutor`: runs task runs on a pool of threads in this process.

For tasks that wait on I/O (HTTP calls, databases, subprocesses): they overlap while the
GIL is released. Task runs share the process, so results need no pickling.
"""

from __future__ import annotations

import functools
import queue
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from proctor.core.executors.base import Completed, Executor
from proctor.core.runner.task_runner import run_task

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.executors.base import StartCallback
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.states import State


class ThreadExecutor(Executor):
    """Run task runs on up to `max_workers` threads (default: the pool's default)."""

    reports_start = True

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__()
        self.max_workers = max_workers
        self._pool: ThreadPoolExecutor | None = None
        self._finished: queue.SimpleQueue[tuple[TaskRunUnit, State]] = queue.SimpleQueue()
        self._in_flight = 0
        self._stopped = False

    def stop_starting(self) -> None:
        self._stopped = True

    def _run(self, unit: TaskRunUnit, flow_context: FlowRunContext) -> State:
        """One task run on a pool thread, unless the run was cancelled while it queued."""
        if self._stopped:
            from proctor.core.states import Cancelled

            return Cancelled("The flow run was cancelled before this task run started")
        return run_task(unit, flow_context, self.on_start)

    def start(self, flow_context: FlowRunContext, on_start: StartCallback | None) -> None:
        super().start(flow_context, on_start)
        self._stopped = False  # an executor may serve several runs, one after another
        self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="proctor-task")

    def shutdown(self) -> None:
        if self._pool is not None:
            # Timed-out tasks may still be running in abandoned threads; don't wait for them.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def submit(self, units: list[TaskRunUnit]) -> None:
        pool, flow_context = self._pool, self.flow_context
        assert pool is not None and flow_context is not None, "start() must come first"
        for unit in units:
            future = pool.submit(self._run, unit, flow_context)
            future.add_done_callback(functools.partial(self._done, unit))
        self._in_flight += len(units)

    def _done(self, unit: TaskRunUnit, future: Future[State]) -> None:
        self._finished.put((unit, _state_of(future, unit)))

    def completed(self, timeout: float | None) -> Completed:
        results: Completed = []
        try:
            results.append(self._finished.get(timeout=timeout))
        except queue.Empty:
            return results
        while True:
            try:
                results.append(self._finished.get_nowait())
            except queue.Empty:
                break
        self._in_flight -= len(results)
        return results

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def __repr__(self) -> str:
        return f"<ThreadExecutor max_workers={self.max_workers}>"


def _state_of(future: Future[State], unit: TaskRunUnit) -> State:
    from proctor.core.states import Failed

    exc = future.exception()
    if exc is not None:
        # run_task catches the task's own errors; this is the engine failing, so say so.
        return Failed(f"Proctor failed to run {unit!r}: {exc!r}", exc)
    return future.result()


__all__ = ["ThreadExecutor"]
