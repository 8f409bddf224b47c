"""Run observers: hooks that see every state change of a flow run.

The engine calls them; they must not change anything. The CLI's live progress display and
the server's state reporter are observers. Every method does nothing by default, so an
observer implements only what it needs, and new hooks never break old observers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.flow import Flow
    from proctor.core.states import State


class TaskRunChange:
    """One task run entered `state`. `map_index` is None for unmapped task runs; a
    mapped node's own row has `map_index` None and `child_count` set."""

    __slots__ = ("child_count", "map_index", "run_count", "state", "task_name", "task_slug")

    def __init__(
        self,
        task_slug: str,
        task_name: str,
        map_index: int | None,
        state: State,
        run_count: int = 1,
        child_count: int | None = None,
    ) -> None:
        self.task_slug = task_slug
        self.task_name = task_name
        self.map_index = map_index
        self.state = state
        self.run_count = run_count
        self.child_count = child_count

    def __repr__(self) -> str:
        index = "" if self.map_index is None else f"[{self.map_index}]"
        return f"<TaskRunChange {self.task_slug}{index} -> {self.state.name}>"


class RunObserver:
    """Base class: override the hooks you need."""

    def flow_run_started(self, flow: Flow, context: FlowRunContext) -> None:
        """The flow run is about to start its first task run."""

    def flow_run_state(self, context: FlowRunContext, state: State) -> None:
        """The flow run entered `state` (Running, then a finished or paused state)."""

    def task_run_state(self, context: FlowRunContext, change: TaskRunChange) -> None:
        """A task run entered a new state. Called from executor threads too: be quick."""

    def flow_run_retrying(self, context: FlowRunContext, failed: State) -> None:
        """The flow run failed and runs again in this process (a flow-level retry).

        `failed` is the failed attempt's state (`.result` maps nodes to task states); the
        next attempt reuses its successes and runs the other task runs again.
        """


__all__ = ["RunObserver", "TaskRunChange"]
