"""Fold a flow run's stream of task-run state changes into one small record per task.

The engine reports every change of every task run, from executor threads too, and a
10,000-child map reports some 20,000 of them. Redrawing on each would cost more than the
tasks; instead this observer only updates counters under a lock, and displays read a
consistent copy (`snapshot()`) at their own pace. It knows nothing about rich, so the
same numbers can feed a live display, plain log lines or a test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from proctor.core.observers import RunObserver, TaskRunChange

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.flow import Flow
    from proctor.core.states import State

# What a task run is doing, coarsely: the display shows counts of these.
PENDING, RUNNING, SUCCEEDED, FAILED, OTHER = "pending", "running", "succeeded", "failed", "other"


_CATEGORY_OF_TYPE: dict[type, str] = {}


def category(state: State) -> str:
    """PENDING (not started, or waiting to retry), RUNNING, SUCCEEDED, FAILED or OTHER
    (finished otherwise: cancelled), for counting mapped children.

    Cached by state class (this runs twice per mapped child), except for `Mapped`, whose
    success depends on its own children.
    """
    cls = type(state)
    found = _CATEGORY_OF_TYPE.get(cls)
    if found is not None:
        return found
    kind = _category(state)
    if not state.is_mapped():
        _CATEGORY_OF_TYPE[cls] = kind
    return kind


def _category(state: State) -> str:
    if state.is_running():
        return RUNNING
    if state.is_finished():
        if state.is_failed():
            return FAILED
        return SUCCEEDED if state.is_successful() else OTHER
    return PENDING


@dataclass
class TaskProgress:
    """What is known about one task node of the run (a copy when from `snapshot`)."""

    slug: str
    name: str
    mapped: bool = False
    state: str = "Pending"
    message: str | None = None
    finished: bool = False
    failed: bool = False
    started_at: float | None = None
    ended_at: float | None = None
    run_count: int = 1
    child_count: int | None = None
    children: dict[str, int] = field(default_factory=dict)

    def elapsed(self, now: float | None = None) -> float | None:
        """Seconds since the task started, or that it took once finished."""
        if self.started_at is None:
            return None
        end = self.ended_at if self.ended_at is not None else (now or time.time())
        return max(0.0, end - self.started_at)

    def count(self, kind: str) -> int:
        return self.children.get(kind, 0)


NodeListener = Callable[[TaskProgress, "State"], None]


class ProgressTracker(RunObserver):
    """A `RunObserver` keeping per-task counters; thread-safe and O(1) per change.

    `on_task_change`, if given, is called (outside the lock, with a copy) for each change
    of a task node itself, never for its mapped children: enough for line-per-event output
    without a line per child.
    """

    def __init__(self, on_task_change: NodeListener | None = None) -> None:
        self.on_task_change = on_task_change
        self.flow_name: str | None = None
        self.flow_run_id: str | None = None
        self.flow_run_name: str | None = None
        self.started_at: float | None = None
        self.flow_state: str | None = None
        self._lock = threading.Lock()
        self._tasks: dict[str, TaskProgress] = {}
        self._child_kind: dict[tuple[str, int], str] = {}
        self._hidden: set[str] = set()

    # -- observer hooks ------------------------------------------------------------------

    def flow_run_started(self, flow: Flow, context: FlowRunContext) -> None:
        try:
            order = flow.sorted_tasks()
        except Exception:  # a display must never be what breaks a run
            order = list(flow.nodes)
        self.start(
            flow.name,
            context.flow_run_id,
            context.flow_run_name,
            [(node.slug, node.name, node.mapped) for node in order],
            # Parameters are inputs, not work: they would only add "Success" rows.
            hidden=[node.slug for node in flow.parameters.values()],
        )

    def start(
        self,
        flow_name: str,
        flow_run_id: str,
        flow_run_name: str | None,
        tasks: Iterable[tuple[str, str, bool]],
        *,
        hidden: Iterable[str] = (),
    ) -> None:
        """Begin a run: its tasks as (slug, name, mapped), upstream first; `hidden` slugs
        are not shown. Also how a run watched on a server is set up."""
        self.flow_name = flow_name
        self.flow_run_id = flow_run_id
        self.flow_run_name = flow_run_name
        self.started_at = time.time()
        self._hidden = set(hidden)
        with self._lock:
            for slug, name, mapped in tasks:
                if slug not in self._hidden:
                    self._tasks[slug] = TaskProgress(slug, name, mapped)

    def flow_run_state(self, context: FlowRunContext, state: State) -> None:
        self.flow_state = state.name

    def task_run_state(self, context: FlowRunContext, change: TaskRunChange) -> None:
        slug = change.task_slug
        if slug in self._hidden:
            return
        state = change.state
        with self._lock:
            task = self._tasks.get(slug)
            if task is None:  # a node added after the run started: show it anyway
                task = self._tasks[slug] = TaskProgress(slug, change.task_name)
            if change.map_index is None:
                self._node_change(task, change, state)
                copy = replace(task) if self.on_task_change is not None else None
            else:
                self._child_change(task, (slug, change.map_index), state)
                copy = None
        if copy is not None and self.on_task_change is not None:
            self.on_task_change(copy, state)

    # -- folding -------------------------------------------------------------------------

    @staticmethod
    def _node_change(task: TaskProgress, change: TaskRunChange, state: State) -> None:
        task.state = state.name
        task.message = state.message
        task.run_count = change.run_count
        if change.child_count is not None:
            task.mapped = True
            task.child_count = change.child_count
        if state.is_running() and task.started_at is None:
            task.started_at = state.created
        task.finished = state.is_finished()
        # A Mapped state read back from a server has no child states of its own: its
        # children's counts say whether one of them failed.
        task.failed = state.is_failed() or (task.finished and task.count(FAILED) > 0)
        if task.finished:
            task.ended_at = state.created
            if task.started_at is None:  # finished without running (skipped, upstream failed)
                task.started_at = state.created

    def _child_change(self, task: TaskProgress, key: tuple[str, int], state: State) -> None:
        kind = category(state)
        previous = self._child_kind.get(key)
        if previous == kind:
            return
        self._child_kind[key] = kind
        counts = task.children
        if previous is not None:
            counts[previous] -= 1
        counts[kind] = counts.get(kind, 0) + 1
        if kind == RUNNING and task.started_at is None:
            task.started_at = state.created

    def set_children(self, slug: str, total: int, counts: dict[str, int]) -> None:
        """Replace a mapped task's child counts (`counts` by category) with ones counted
        elsewhere, e.g. by a server: how a watched run gets true totals however many
        children changed between two looks."""
        if slug in self._hidden:
            return
        with self._lock:
            task = self._tasks.get(slug)
            if task is None:
                task = self._tasks[slug] = TaskProgress(slug, slug)
            task.mapped = True
            task.child_count = total
            task.children = dict(counts)
            if task.finished and counts.get(FAILED, 0) > 0:
                task.failed = True

    # -- reading -------------------------------------------------------------------------

    def snapshot(self) -> list[TaskProgress]:
        """Copies of every task's record, in the flow's order (upstream first)."""
        with self._lock:
            return [replace(task, children=dict(task.children)) for task in self._tasks.values()]


__all__ = [
    "FAILED",
    "OTHER",
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "NodeListener",
    "ProgressTracker",
    "TaskProgress",
    "category",
]
