"""What a run process sends: the batched mutations of the API, as plain dicts.

A run reports tens of thousands of task-run changes. Building a pydantic model per change
costs ~15 us, the dict the server reads costs ~2 us, so the reporter builds the dicts
itself (in its flusher thread, never on the engine's hot path) and sends them with
`Client.query` and the mutations documented in docs/server.md, several in one request.
States go through `State.to_dict()`, the engine's one wire form; a task run's attempt
number rides along as the state's `run_count`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from proctor.client import FlowRunStateChange, TransitionResult
from proctor.client import _operations as ops
from proctor.core.masking import has_secret_values, mask_secrets
from proctor.core.observers import TaskRunChange

if TYPE_CHECKING:
    from proctor.core.artifacts import Artifact
    from proctor.core.states import State

# One field per kind of report, in the order the server must apply them (GraphQL runs
# the fields of a mutation one after the other, in document order). The fields themselves
# are the client's (`WRITE_FIELDS`): one copy of each document.
_REPORT_FIELDS = {
    "tasks": "setTaskRunStates",
    # After the task states: Submitted states with tags, judged against the concurrency
    # limits after every state reported before them (e.g. the Success that freed the
    # slot), and apart from them so that a server that refuses tags refuses only these.
    "claims": "setTaskRunStates",
    # After the task states: a slot request reaches the server after every state
    # reported before it (e.g. the Success that freed the slot it asks for).
    "slots": "acquireTaskRunSlots",
    "logs": "writeLogs",
    # After the task states: the task runs the artifacts belong to exist by then.
    "artifacts": "writeArtifacts",
    "flows": "setFlowRunStates",
}


def report_mutation(parts: dict[str, list[dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
    """One mutation sending task states, slot requests, logs and flow states (those
    given) at once.

    A short run's whole report is then one request instead of three; the answer has one
    key per part (`tasks`, `claims`, `slots`, `logs`, `artifacts`, `flows`).
    """
    kinds = [kind for kind in _REPORT_FIELDS if parts.get(kind)]
    arguments = ", ".join(f"${kind}: [JSON!]!" for kind in kinds)
    fields = " ".join(ops.write_field(_REPORT_FIELDS[kind], kind, alias=kind) for kind in kinds)
    return f"mutation ({arguments}) {{ {fields} }}", {kind: parts[kind] for kind in kinds}


class Reopening(TaskRunChange):
    """A finished task run goes back to Pending because a new attempt runs it again: sent
    with `force`, the one way out of a finished state."""

    __slots__ = ()


def _masked(state: dict[str, Any]) -> dict[str, Any]:
    """A state's wire form with the secret values this process read masked in its
    message (an exception's text often quotes the value that failed)."""
    message = state.get("message")
    if message and has_secret_values():
        state["message"] = mask_secrets(message)
    return state


def task_run_change(flow_run_id: str, change: TaskRunChange) -> dict[str, Any]:
    """One `setTaskRunStates` item; a mapped node's own row is map index -1."""
    state = _masked(change.state.to_dict())
    state.setdefault("run_count", change.run_count)
    item = {
        "flowRunId": flow_run_id,
        "taskSlug": change.task_slug,
        "mapIndex": -1 if change.map_index is None else change.map_index,
        "state": state,
    }
    if type(change) is Reopening:
        item["force"] = True
    return item


def flow_run_change(
    flow_run_id: str, state: State, *, agent_id: str | None = None
) -> dict[str, Any]:
    """One `setFlowRunStates` item; `agent_id` is needed to start a claimed run."""
    return flow_run_state_change(flow_run_id, state, agent_id=agent_id).to_input()


def flow_run_state_change(
    flow_run_id: str, state: State, *, agent_id: str | None = None
) -> FlowRunStateChange:
    """The client's `FlowRunStateChange` for `state`, its message masked; for the one
    change an agent or run process sends with `Client.set_flow_run_states`."""
    return FlowRunStateChange(
        flow_run_id=flow_run_id, state=_masked(state.to_dict()), agent_id=agent_id
    )


def log_line(flow_run_id: str, record: logging.LogRecord, message: str) -> dict[str, Any]:
    """One `writeLogs` item, attributed to the task run that logged it, if any."""
    item: dict[str, Any] = {
        "flowRunId": flow_run_id,
        "message": message,
        "level": record.levelno,
        "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
        "name": record.name,
    }
    slug = getattr(record, "task_slug", None)
    if slug is not None:
        item["taskSlug"] = slug
        index = getattr(record, "map_index", None)
        if index is not None:
            item["mapIndex"] = index
    return item


def artifact_item(flow_run_id: str, artifact: Artifact) -> dict[str, Any]:
    """One `writeArtifacts` item (already masked by the engine when it was made)."""
    item = artifact.to_dict()
    item["flowRunId"] = flow_run_id
    return item


def transition_results(data: dict[str, Any], field: str) -> list[TransitionResult]:
    """The results of one state-change field of an answer (none if it was not asked)."""
    return [TransitionResult.model_validate(item) for item in data.get(field) or ()]


def rejected(results: Iterable[TransitionResult]) -> list[TransitionResult]:
    return [result for result in results if not result.accepted]


__all__ = [
    "Reopening",
    "artifact_item",
    "flow_run_change",
    "flow_run_state_change",
    "log_line",
    "rejected",
    "report_mutation",
    "task_run_change",
    "transition_results",
]
