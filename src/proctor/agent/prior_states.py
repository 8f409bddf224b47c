"""Earlier attempts of a run: what to reuse from them, and what to reopen.

A run can start more than once: restarted after a failure, re-queued for a retry due
later, re-queued by the server after its process died. The server knows each task run's
last state and, for persisted results, where the value is (`result_location`); it never
has the value itself. Here those rows become engine states for `FlowRunner.run(
task_states=...)`: a success whose value can be read back from the flow's result store is
reused; a `Retrying` one carries on with its attempt count; anything else (including a
success with no persisted value, which the next tasks might need) runs again.

What runs again must first be reopened on the server: a task run that ended (Failed,
Cancelled, or a success that cannot be reused) may not change state again except by an
explicit reopening (`force`), which the reporter sends before the new attempt's changes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from proctor.core.errors import ProctorError
from proctor.core.states import Mapped, Pending, Retrying, Skipped, State, state_from_dict

if TYPE_CHECKING:
    from collections.abc import Iterable

    from proctor.client import TaskRunSummary
    from proctor.core.flow import Flow
    from proctor.core.graph import Node
    from proctor.core.results import Result

logger = logging.getLogger("proctor.agent.prior_states")

FINISHED_FAMILIES = frozenset({"Success", "Failed", "Cancelled", "Finished"})


def prior_task_states(flow: Flow, task_runs: Iterable[TaskRunSummary]) -> dict[str, State]:
    """States to hand to the engine, by task slug; mapped nodes get a `Mapped` holding
    their children's states (`Pending` where a child has nothing to reuse)."""
    own: dict[str, TaskRunSummary] = {}
    children: dict[str, dict[int, TaskRunSummary]] = defaultdict(dict)
    for task_run in task_runs:
        if task_run.map_index < 0:
            own[task_run.task_slug] = task_run
        else:
            children[task_run.task_slug][task_run.map_index] = task_run
    parameters = {node.slug for node in flow.parameters.values()}
    states: dict[str, State] = {}
    reused = 0
    for node in flow.nodes:
        if node.slug in parameters:
            continue  # the run's parameters are its values, never an earlier attempt's
        store = _store_of(flow, node)
        if node.mapped:
            rows = children.get(node.slug)
            if not rows:
                continue
            kids: list[State] = [Pending() for _ in range(max(rows) + 1)]
            found = False
            for index, row in rows.items():
                state = _restore(row, store)
                if state is not None:
                    kids[index] = state
                    found = True
                    reused += state.is_successful()
            if found:
                states[node.slug] = Mapped(map_states=kids)
        elif node.slug in own:
            state = _restore(own[node.slug], store)
            if state is not None:
                states[node.slug] = state
                reused += state.is_successful()
    if reused:
        logger.info("Reusing %d task run results of an earlier attempt of this run", reused)
    return states


def task_runs_to_reopen(
    flow: Flow, task_runs: Iterable[TaskRunSummary], prior: dict[str, State]
) -> list[tuple[str, int]]:
    """(slug, map index) of the finished task runs the next attempt runs again."""
    parameters = {node.slug for node in flow.parameters.values()}
    mapped = {node.slug for node in flow.nodes if node.mapped}
    reopen: list[tuple[str, int]] = []
    for row in task_runs:
        slug, index = row.task_slug, row.map_index
        if slug in parameters or row.state_type not in FINISHED_FAMILIES:
            continue
        earlier = prior.get(slug)
        if index < 0 and slug in mapped:
            reused = isinstance(earlier, Mapped) and all(
                kid.is_successful() for kid in earlier.map_states
            )
        elif index < 0:
            reused = earlier is not None and earlier.is_successful()
        else:
            kids = earlier.map_states if isinstance(earlier, Mapped) else []
            reused = index < len(kids) and kids[index].is_successful()
        if not reused:
            reopen.append((slug, index))
    return reopen


def failed_attempt_task_runs(failed: State) -> list[tuple[str, int]]:
    """(slug, map index) of the task runs a failed attempt ended without success: what an
    in-process flow retry runs again (mapped nodes with a failed child, and the child)."""
    results = failed.result if isinstance(failed.result, dict) else {}
    reopen: list[tuple[str, int]] = []
    for node, state in results.items():
        if node.flow.parameters.get(node.slug) is node:
            continue
        if isinstance(state, Mapped):
            bad = [i for i, kid in enumerate(state.map_states) if not kid.is_successful()]
            if bad:
                reopen.append((node.slug, -1))
                reopen.extend((node.slug, i) for i in bad)
        elif state.is_finished() and not state.is_successful():
            reopen.append((node.slug, -1))
    return reopen


def _store_of(flow: Flow, node: Node) -> Result | None:
    result: Result | None = node.task.result if node.task.result is not None else flow.result
    return result


def _restore(row: TaskRunSummary, store: Result | None) -> State | None:
    if row.state == "Retrying":
        return Retrying(row.state_message, run_count=max(row.run_count, 1), start_time=None)
    if row.state_type != "Success" or row.state == "Mapped":
        return None
    if row.state == "Skipped":
        return Skipped(row.state_message)
    location = row.result_location
    if not location or store is None:
        return None  # no value to hand downstream: run it again
    try:
        value = store.read(location)
    except ProctorError as error:
        logger.warning(
            "Task run %s%s will run again: its result at %s cannot be read (%s)",
            row.task_slug,
            "" if row.map_index < 0 else f"[{row.map_index}]",
            location,
            error,
        )
        return None
    state = state_from_dict(
        {
            "type": row.state,
            "message": row.state_message,
            "timestamp": row.state_timestamp.isoformat() if row.state_timestamp else None,
            "result_location": location,
        }
    )
    state.result = value
    return state


__all__ = ["failed_attempt_task_runs", "prior_task_states", "task_runs_to_reopen"]
