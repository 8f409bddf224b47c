"""Checks that a flow's graph can run: no cycles, every required input fed."""

from __future__ import annotations

import inspect
from collections import deque
from typing import TYPE_CHECKING

from proctor.core.errors import FlowDefinitionError
from proctor.core.parameter import Parameter

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node


def topological_order(flow: Flow) -> list[Node]:
    """Nodes ordered so each comes after its upstream nodes; a cycle is an error."""
    remaining = {node: len(flow.upstream_edges(node)) for node in flow.nodes}
    ready = deque(node for node in flow.nodes if remaining[node] == 0)
    order: list[Node] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for edge in flow.downstream_edges(node):
            remaining[edge.downstream] -= 1
            if remaining[edge.downstream] == 0:
                ready.append(edge.downstream)
    if len(order) != len(flow.nodes):
        cycle = _find_cycle(flow, {node for node, count in remaining.items() if count > 0})
        path = " -> ".join(node.slug for node in cycle)
        raise FlowDefinitionError(
            f"Flow {flow.name!r} has a cycle: {path}. Remove one of these dependencies."
        )
    return order


def _find_cycle(flow: Flow, candidates: set[Node]) -> list[Node]:
    # Walk upstream from any node left over; within the leftovers a cycle must be reached.
    start = next(node for node in flow.nodes if node in candidates)
    seen: dict[Node, int] = {}
    path: list[Node] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(
            edge.upstream for edge in flow.upstream_edges(node) if edge.upstream in candidates
        )
    cycle = path[seen[node] :]
    cycle.reverse()
    return [*cycle, cycle[0]]


def missing_inputs(node: Node) -> list[str]:
    """Required arguments of the node's task that neither an edge nor a constant feeds."""
    fed = set(node.constants)
    fed.update(edge.key for edge in node.flow.upstream_edges(node) if edge.key is not None)
    missing = []
    for name, param in node.task.signature.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is inspect.Parameter.empty and name not in fed:
            missing.append(name)
    return missing


def validate_flow(flow: Flow) -> None:
    """Raise FlowDefinitionError for the first structural problem, naming the tasks."""
    topological_order(flow)
    problems = []
    for node in flow.nodes:
        if isinstance(node.task, Parameter):
            continue
        missing = missing_inputs(node)
        if missing:
            problems.append(f"task {node.slug!r} is missing argument(s) {', '.join(missing)}")
    if problems:
        raise FlowDefinitionError(
            f"Flow {flow.name!r} cannot run: " + "; ".join(problems) + ". Pass them when "
            "calling the task, or with set_dependencies(keyword_tasks=...)."
        )
    for reference in flow.reference_tasks():
        if reference.flow is not flow:
            raise FlowDefinitionError(
                f"Reference task {reference.slug!r} is not part of flow {flow.name!r}."
            )


__all__ = ["missing_inputs", "topological_order", "validate_flow"]
