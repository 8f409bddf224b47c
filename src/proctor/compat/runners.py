"""1.x `FlowRunner` and `TaskRunner`, called the way 1.x scripts and tests call them.

`FlowRunner(flow=f).run(parameters=..., executor=..., context=..., return_tasks=...)`
runs the flow with Proctor's flow runner; as in 1.x, the final state's `result` holds only
the task states asked for with `return_tasks`. `TaskRunner(task=t).run(upstream_states=
{edge: state}, context=...)` runs one task outside any flow, its inputs taken from the
upstream states of the edges that carry a key.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from proctor.compat.context import context as _context
from proctor.core.context import FlowRunContext
from proctor.core.runner import flow_runner as _flow_runner
from proctor.core.runner.task_runner import run_task
from proctor.core.runner.unit import TaskRunUnit
from proctor.core.states import State

if TYPE_CHECKING:
    from proctor.core.executors.base import Executor
    from proctor.core.flow import Flow
    from proctor.core.task import Task


class FlowRunner(_flow_runner.FlowRunner):
    """Proctor's flow runner with 1.x's `run()` signature."""

    def __init__(self, flow: Flow, task_runner_cls: Any = None, **options: Any) -> None:
        # task_runner_cls and 1.x's runner state_handlers have no Proctor equivalent: one
        # task runner serves every executor, and flow state handlers live on the flow.
        options.pop("state_handlers", None)
        super().__init__(flow, **options)

    def run(  # type: ignore[override]
        self,
        state: State | None = None,
        task_states: Mapping[Any, State] | None = None,
        return_tasks: Iterable[Any] | None = None,
        parameters: Mapping[str, Any] | None = None,
        task_runner_state_handlers: Any = None,
        executor: Executor | None = None,
        context: Mapping[str, Any] | None = None,
        task_contexts: Any = None,
        **options: Any,
    ) -> State:
        if executor is not None:
            self.executor = executor
        with _context(dict(context or {})):
            final = super().run(parameters, task_states=task_states, **options)
        wanted = list(return_tasks or ())
        results = final.result
        if isinstance(results, Mapping):
            kept = _flow_runner.NodeStates()
            for node, node_state in results.items():
                if any(item is node or item is getattr(node, "task", None) for item in wanted):
                    kept[node] = node_state
            final.result = kept
        return final


class TaskRunner:
    """Runs one task on its own, as 1.x's `TaskRunner(task=t).run(...)` does."""

    def __init__(self, task: Task, state_handlers: Any = None, **options: Any) -> None:
        self.task = task

    def run(
        self,
        state: State | None = None,
        upstream_states: Mapping[Any, State] | None = None,
        context: Mapping[str, Any] | None = None,
        is_mapped_parent: bool = False,
        **options: Any,
    ) -> State:
        task = self.task
        inputs: dict[str, Any] = {}
        for edge, upstream in (upstream_states or {}).items():
            key = getattr(edge, "key", None)
            if key is not None:
                inputs[key] = upstream.result
        values = dict(context or {})
        flow_context = FlowRunContext(
            str(values.get("flow_name", "task-runner")),
            str(values.get("flow_run_id", uuid.uuid4().hex)),
            dict(values.get("parameters", {})),
        )
        flow_context.extra = {**flow_context.extra, **values}
        map_index = values.get("map_index")
        unit = TaskRunUnit(
            0,
            task,
            task.name,
            inputs,
            list((upstream_states or {}).values()),
            map_index,
            run_count=int(values.get("task_run_count", 1)),
            result_store=task.result,
        )
        if state is not None:
            unit.previous_state = state
        # A Retrying state comes back as is, as from 1.x's TaskRunner: nothing waits here.
        return run_task(unit, flow_context)


__all__ = ["FlowRunner", "TaskRunner"]
