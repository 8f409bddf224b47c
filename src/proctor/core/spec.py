"""`FlowSpec`: the JSON description of a flow that the server stores.

Only metadata: names, options, edges, parameter schemas and references. Never code, never
pickles: the server must not run or unpickle anything a client sent.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, TypedDict

from proctor.core.triggers import trigger_name

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node

SPEC_VERSION = 1


class TaskSpec(TypedDict):
    slug: str
    name: str
    type: str
    mapped: bool
    tags: list[str]
    retries: int
    retry_delay: float | None
    timeout: float | None
    trigger: str
    cache_for: float | None
    checkpoint: bool | None
    target: str | None
    description: str | None
    is_parameter: bool
    is_reference: bool


class EdgeSpec(TypedDict):
    upstream: str
    downstream: str
    key: str | None
    mapped: bool
    flatten: bool


class ParameterSpec(TypedDict):
    name: str
    required: bool
    default: Any
    description: str | None
    schema: dict[str, Any]


class FlowSpec(TypedDict):
    spec_version: int
    name: str
    description: str | None
    tasks: list[TaskSpec]
    edges: list[EdgeSpec]
    parameters: list[ParameterSpec]
    parameter_schema: dict[str, Any]
    schedule: dict[str, Any] | None
    storage: dict[str, Any] | None
    result: dict[str, Any] | None
    labels: list[str]
    run_config: dict[str, Any]
    fingerprint: str


def _task_spec(node: Node, reference: set[Node]) -> TaskSpec:
    task = node.task
    delay = task.retry_delay
    return {
        "slug": node.slug,
        "name": task.name,
        "type": f"{type(task).__module__}.{type(task).__qualname__}",
        "mapped": node.mapped,
        "tags": sorted(task.tags),
        "retries": task.retries,
        "retry_delay": None if callable(delay) else float(delay),
        "timeout": task.timeout,
        "trigger": trigger_name(task.trigger),
        "cache_for": task.cache_for,
        "checkpoint": task.checkpoint,
        "target": task.target if isinstance(task.target, str) else None,
        "description": task.description,
        "is_parameter": node.slug in node.flow.parameters
        and node.flow.parameters[node.slug] is node,
        "is_reference": node in reference,
    }


def parameter_schema(flow: Flow) -> dict[str, Any]:
    """One JSON schema object for all the flow's parameters (what the UI's form renders)."""
    properties = {}
    required = []
    for parameter in flow.parameter_tasks():
        properties[parameter.name] = parameter.json_schema()
        if parameter.required:
            required.append(parameter.name)
    return {
        "title": flow.name,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def serialize_flow(flow: Flow) -> FlowSpec:
    flow.validate()
    reference = set(flow.reference_tasks())
    spec: dict[str, Any] = {
        "spec_version": SPEC_VERSION,
        "name": flow.name,
        "description": flow.description,
        "tasks": [_task_spec(node, reference) for node in flow.nodes],
        "edges": [
            {
                "upstream": edge.upstream.slug,
                "downstream": edge.downstream.slug,
                "key": edge.key,
                "mapped": edge.mapped,
                "flatten": edge.flatten,
            }
            for edge in flow.edges
        ],
        "parameters": [parameter.to_dict() for parameter in flow.parameter_tasks()],
        "parameter_schema": parameter_schema(flow),
        "schedule": flow.schedule.to_dict() if flow.schedule is not None else None,
        "storage": flow.storage.to_dict() if flow.storage is not None else None,
        "result": flow.result.to_dict() if flow.result is not None else None,
        "labels": list(flow.labels),
        "run_config": dict(flow.run_config),
    }
    # Fingerprint of everything that defines this version, so re-registering an identical
    # flow is recognised as unchanged.
    canonical = json.dumps(spec, sort_keys=True, default=str)
    spec["fingerprint"] = hashlib.sha256(canonical.encode()).hexdigest()
    json.dumps(spec)  # fail here, naming nothing half-written, if anything is not JSON
    return spec  # type: ignore[return-value]


__all__ = [
    "EdgeSpec",
    "FlowSpec",
    "ParameterSpec",
    "TaskSpec",
    "parameter_schema",
    "serialize_flow",
]
