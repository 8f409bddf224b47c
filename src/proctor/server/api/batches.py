"""Items of the batched mutations: JSON objects read by hand, not GraphQL input objects.

A flow run reports thousands of task-run states in one `setTaskRunStates` call. Coercing
each item as a GraphQL input object costs ~300 us in graphql-core and strawberry, more than
the database write it describes (measured: 5,000 items took 2.5 s instead of 0.9 s), so the
batched arguments are lists of `JSON` objects whose shape is documented by the
`FlowRunStateInput`, `TaskRunStateInput`, `TaskRunInput` and `LogInput` types of the
schema. This module maps their camelCase keys to the services' input records (snake_case
keys are accepted too, so `State.to_dict()` output can be sent as is); an unknown key or a
non-object item is an `INVALID_INPUT` error naming its index. Values are checked by the
services, which were written for exactly this hot path.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from proctor.server.api.errors import ApiError
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn, TaskRunStateChange

_STATE_KEYS = {
    "type": "type",
    "message": "message",
    "timestamp": "timestamp",
    "startTime": "start_time",
    "start_time": "start_time",
    "resultLocation": "result_location",
    "result_location": "result_location",
    "runCount": "run_count",
    "run_count": "run_count",
}
_FLOW_RUN_CHANGE_KEYS = {
    "flowRunId": "flow_run_id",
    "state": "state",
    "version": "version",
    "agentId": "agent_id",
    "force": "force",
}
_TASK_RUN_CHANGE_KEYS = {
    "flowRunId": "flow_run_id",
    "taskSlug": "task_slug",
    "mapIndex": "map_index",
    "state": "state",
    "version": "version",
    "runCount": "run_count",
    "force": "force",
    "tags": "tags",
}
_LOG_KEYS = {
    "flowRunId": "flow_run_id",
    "message": "message",
    "level": "level",
    "timestamp": "timestamp",
    "taskSlug": "task_slug",
    "mapIndex": "map_index",
    "extra": "extra",
}
_TASK_RUN_KEYS = {"taskSlug": "task_slug", "mapIndex": "map_index"}


def _fields(item: Any, keys: dict[str, str], where: str, index: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ApiError("INVALID_INPUT", f"{where}[{index}] must be an object")
    fields: dict[str, Any] = {}
    for key, value in item.items():
        name = keys.get(key)
        if name is None:
            if key in keys.values():
                name = key
            else:
                known = ", ".join(keys)
                raise ApiError(
                    "INVALID_INPUT", f"{where}[{index}]: unknown field {key!r:.60} (known: {known})"
                )
        fields[name] = value
    return fields


def _state(value: Any, where: str, index: int) -> Any:
    """A state object in the services' shape (keys renamed, `data` merged, extras kept)."""
    if not isinstance(value, dict):
        return value  # the service names the problem
    state: dict[str, Any] = {}
    data = value.get("data")
    if isinstance(data, dict):
        state.update(data)
    elif data is not None:
        raise ApiError("INVALID_INPUT", f"{where}[{index}].state.data must be an object")
    for key, item in value.items():
        if key != "data":
            name = str(key)
            state[_STATE_KEYS.get(name, name)] = item
    if not isinstance(state.get("type"), str):
        raise ApiError("INVALID_INPUT", f"{where}[{index}].state.type must be a state name")
    return state


def flow_run_changes(items: list[Any]) -> list[FlowRunStateChange]:
    changes = []
    for index, item in enumerate(items):
        fields = _fields(item, _FLOW_RUN_CHANGE_KEYS, "changes", index)
        fields["state"] = _state(fields.get("state"), "changes", index)
        changes.append(_build(FlowRunStateChange, fields, "changes", index))
    return changes


def task_run_changes(items: list[Any]) -> list[TaskRunStateChange]:
    changes = []
    for index, item in enumerate(items):
        fields = _fields(item, _TASK_RUN_CHANGE_KEYS, "changes", index)
        fields["state"] = _state(fields.get("state"), "changes", index)
        changes.append(_build(TaskRunStateChange, fields, "changes", index))
    return changes


def log_lines(items: list[Any]) -> list[LogIn]:
    lines = []
    for index, item in enumerate(items):
        fields = _fields(item, {**_LOG_KEYS, "name": "name"}, "logs", index)
        name = fields.pop("name", None)
        if name is not None:
            extra = fields.get("extra")
            fields["extra"] = {**(extra if isinstance(extra, dict) else {}), "name": name}
        elif fields.get("extra") is None:
            fields.pop("extra", None)
        lines.append(_build(LogIn, fields, "logs", index))
    return lines


def task_run_keys(items: list[Any]) -> list[tuple[Any, Any]]:
    keys = []
    for index, item in enumerate(items):
        fields = _fields(item, _TASK_RUN_KEYS, "taskRuns", index)
        keys.append((fields.get("task_slug"), fields.get("map_index", -1)))
    return keys


def _build(cls: Any, fields: dict[str, Any], where: str, index: int) -> Any:
    try:
        return cls(**fields)
    except TypeError:
        missing = [
            field.name
            for field in dataclasses.fields(cls)
            if field.name not in fields
            and field.default is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING
        ]
        raise ApiError(
            "INVALID_INPUT", f"{where}[{index}] is missing a required field ({', '.join(missing)})"
        ) from None


__all__ = ["flow_run_changes", "log_lines", "task_run_changes", "task_run_keys"]
