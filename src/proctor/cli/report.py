"""What a finished flow run produced, as data: its task states, failures and `--json` form.

Read from the flow run's final state (`state.result` maps each node to its task state),
not from the progress display, so the report is right even when nothing was displayed.
Shared by the human summary and the JSON output so that both tell the same story.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node
    from proctor.core.states import State


@dataclass(frozen=True)
class FailedRun:
    """One failed task run: a task, or one child of a mapped task (`map_index`)."""

    slug: str
    map_index: int | None
    state: str
    message: str | None

    @property
    def label(self) -> str:
        return self.slug if self.map_index is None else f"{self.slug}[{self.map_index}]"


def task_states(flow: Flow, state: State) -> Iterator[tuple[Node, State]]:
    """(node, task state) for every task of the run except parameters, in run order."""
    states = state.result
    if not isinstance(states, Mapping):
        return
    parameters = {id(node) for node in flow.parameters.values()}
    for node, task_state in states.items():
        if id(node) not in parameters:
            yield node, task_state


def parameter_values(flow: Flow, state: State) -> dict[str, Any]:
    """The values the run's parameters had (given or default), as JSON or reprs."""
    states = state.result if isinstance(state.result, Mapping) else {}
    values: dict[str, Any] = {}
    for name, node in flow.parameters.items():
        if node in states:
            values[name] = json_value(states[node].result)[1]
    return values


def failed_runs(flow: Flow, state: State) -> list[FailedRun]:
    """Every failed task run, mapped children one by one, in the flow's order."""
    failures: list[FailedRun] = []
    for node, task_state in task_states(flow, state):
        children = getattr(task_state, "map_states", None)
        if children:
            for index, child in enumerate(children):
                if child.is_failed():
                    failures.append(FailedRun(node.slug, index, child.name, child.message))
        elif task_state.is_failed():
            failures.append(FailedRun(node.slug, None, task_state.name, task_state.message))
    return failures


def json_value(value: Any) -> tuple[bool, Any]:
    """(True, value) when `value` is JSON as it stands, else (False, its repr)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, OverflowError, RecursionError):
        try:
            return False, repr(value)
        except Exception:
            return False, f"<{type(value).__name__} object>"
    return True, value


def _task_entry(node: Node, task_state: State) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "slug": node.slug,
        "name": node.name,
        "state": task_state.name,
        "message": task_state.message,
    }
    is_json, value = json_value(task_state.result)
    entry["result" if is_json else "result_repr"] = value
    children = getattr(task_state, "map_states", None)
    if node.mapped or children is not None:
        children = children or []
        by_state = Counter(child.name for child in children)
        entry["children"] = {
            "total": len(children),
            "succeeded": sum(1 for child in children if child.is_successful()),
            "failed": sum(1 for child in children if child.is_failed()),
            "states": dict(sorted(by_state.items())),
            "failures": [
                {"map_index": index, "state": child.name, "message": child.message}
                for index, child in enumerate(children)
                if child.is_failed()
            ],
        }
    return entry


def json_report(
    flow: Flow,
    state: State,
    *,
    duration: float,
    flow_run_id: str | None,
) -> dict[str, Any]:
    """The `--json` document: the run's outcome and every task's state and value."""
    return {
        "flow": flow.name,
        "flow_run_id": flow_run_id,
        "state": state.name,
        "successful": state.is_successful(),
        "message": state.message,
        "duration": round(duration, 6),
        "parameters": parameter_values(flow, state),
        "tasks": [_task_entry(node, task_state) for node, task_state in task_states(flow, state)],
    }


__all__ = [
    "FailedRun",
    "failed_runs",
    "json_report",
    "json_value",
    "parameter_values",
    "task_states",
]
