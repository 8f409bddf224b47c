"""What the engine knows about the run in progress, reachable from inside a task.

Two context variables: the flow being built (so that calling a task inside `with Flow()`
or a `@flow` body adds a node) and the task run being executed (so that loggers, result
templates and `Secret`s know which run they belong to). Context variables, not globals,
because thread and process executors run many task runs at once.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from proctor.core.clock import REAL_CLOCK

if TYPE_CHECKING:
    from proctor.core.artifacts import Artifact
    from proctor.core.clock import Clock
    from proctor.core.flow import Flow

building_flow: ContextVar[Flow | None] = ContextVar("proctor_building_flow", default=None)

#: Values set by the caller around a run (the 1.x `with context(key=value): flow.run()`).
#: A flow run takes a snapshot when it starts, so task runs on other threads or processes
#: see the same values; a new dict is set on every change, never mutated in place.
user_values: ContextVar[dict[str, Any]] = ContextVar("proctor_user_values", default={})  # noqa: B039

#: Whether a task's exception should leave `flow.run()` instead of failing the task run
#: (`proctor.utilities.debug.raise_on_exception`); also snapshotted when a run starts.
raise_on_exception: ContextVar[bool] = ContextVar("proctor_raise_on_exception", default=False)


class FlowRunContext:
    """Facts about one flow run, shared by all its task runs (and shipped to workers)."""

    __slots__ = (
        "clock",
        "extra",
        "flow_name",
        "flow_run_id",
        "flow_run_name",
        "parameters",
        "raise_on_exception",
        "scheduled_start",
        "started",
    )

    def __init__(
        self,
        flow_name: str,
        flow_run_id: str,
        parameters: dict[str, Any],
        *,
        flow_run_name: str | None = None,
        scheduled_start: datetime | None = None,
        clock: Clock = REAL_CLOCK,
    ) -> None:
        self.flow_name = flow_name
        self.flow_run_id = flow_run_id
        self.flow_run_name = flow_run_name or flow_run_id[:8]
        self.parameters = parameters
        self.scheduled_start = scheduled_start
        # When the run started (epoch seconds): the "date" a task run sees.
        self.started = time.time()
        self.extra: dict[str, Any] = user_values.get()
        self.raise_on_exception = raise_on_exception.get()
        # The run's clock: task runs read it for retry times (a FakeClock in tests).
        self.clock = clock

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)


class TaskRunContext:
    """Facts about the task run in progress."""

    __slots__ = (
        "artifacts",
        "flow_run",
        "loop_count",
        "loop_result",
        "map_index",
        "run_count",
        "task_name",
        "task_run_name",
        "task_slug",
        "task_tags",
    )

    def __init__(
        self,
        flow_run: FlowRunContext,
        task_name: str,
        task_slug: str,
        map_index: int | None,
        run_count: int,
        task_tags: frozenset[str],
    ) -> None:
        self.flow_run = flow_run
        self.task_name = task_name
        self.task_slug = task_slug
        self.map_index = map_index
        self.run_count = run_count
        self.task_tags = task_tags
        # A task that raised LOOP runs again with these: iteration number, last result.
        self.loop_count = 1
        self.loop_result: Any = None
        self.task_run_name: str | None = None
        # What the run published (`proctor.core.artifacts`); None until the first one.
        self.artifacts: list[Artifact] | None = None

    def template_values(self) -> dict[str, Any]:
        """The names usable in result locations, targets and cache keys."""
        now = datetime.now(UTC)
        flow_run = self.flow_run
        return {
            "flow_name": flow_run.flow_name,
            "flow_run_id": flow_run.flow_run_id,
            "flow_run_name": flow_run.flow_run_name,
            "parameters": flow_run.parameters,
            "scheduled_start": flow_run.scheduled_start,
            "task_name": self.task_name,
            "task_slug": self.task_slug,
            "task_tags": sorted(self.task_tags),
            "map_index": self.map_index,
            "run_count": self.run_count,
            "today": now.strftime("%Y-%m-%d"),
            "now": now,
        }


current_task_run: ContextVar[TaskRunContext | None] = ContextVar("proctor_task_run", default=None)


def get_task_run_context() -> TaskRunContext | None:
    """The task run this code is executing in, or None outside of a task run."""
    return current_task_run.get()


__all__ = [
    "FlowRunContext",
    "TaskRunContext",
    "building_flow",
    "current_task_run",
    "get_task_run_context",
    "raise_on_exception",
    "user_values",
]
