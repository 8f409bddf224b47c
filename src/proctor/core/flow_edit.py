"""Editing a built flow's graph: replacing a task, copying another flow in.

Kept apart from `flow.py` because building never needs it: only the 1.x-style
`flow.replace(old, new)` and `flow.update(other)` do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proctor.core.errors import FlowDefinitionError
from proctor.core.graph import GraphItems, Node
from proctor.core.parameter import Parameter
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.core.flow import Flow


def _drop_node(flow: Flow, node: Node) -> None:
    """Remove a node and every edge touching it."""
    gone = {id(edge) for edge in flow._upstream[node]} | {
        id(edge) for edge in flow._downstream[node]
    }
    flow.edges = GraphItems(edge for edge in flow.edges if id(edge) not in gone)
    for edge in flow._upstream.pop(node):
        flow._downstream[edge.upstream].remove(edge)
    for edge in flow._downstream.pop(node):
        flow._upstream[edge.downstream].remove(edge)
        if edge.key is not None:
            flow._input_keys[edge.downstream].discard(edge.key)
    flow._input_keys.pop(node, None)
    flow.nodes.remove(node)
    if flow.parameters.get(node.name) is node:
        del flow.parameters[node.name]
    if flow._own.get(node.task) is node:
        del flow._own[node.task]
    flow.graph_version += 1


def replace_node(flow: Flow, old: Node, new: Task | Node) -> None:
    """Put `new` in `old`'s place: same inputs, same downstream, same reference role."""
    if isinstance(new, Node) and new.flow is not flow:
        raise FlowDefinitionError(
            f"Task {new.name!r} belongs to flow {new.flow.name!r}, not {flow.name!r}."
        )
    upstream = list(flow._upstream[old])
    downstream = list(flow._downstream[old])
    constants = dict(old.constants)
    reference = flow._reference
    _drop_node(flow, old)
    if isinstance(new, Node):
        node = new
    elif isinstance(new, Parameter):
        node = flow.add_parameter(new)
    else:
        node = flow.add_node(new)
        flow._own[new] = node
    for key, value in constants.items():
        node.constants.setdefault(key, value)
    for edge in upstream:
        if edge.upstream is not node:
            flow._link(edge.upstream, node, key=edge.key, mapped=edge.mapped, flatten=edge.flatten)
    for edge in downstream:
        if edge.downstream is not node:
            flow._link(
                node, edge.downstream, key=edge.key, mapped=edge.mapped, flatten=edge.flatten
            )
    if reference is not None:
        flow._reference = [node if item is old else item for item in reference]


def copy_flow_into(flow: Flow, other: Flow, *, merge_reference_tasks: bool = False) -> None:
    """Add a copy of each of `other`'s nodes (same task objects) and its edges to `flow`."""
    copies: dict[Node, Node] = {}
    for node in other.nodes:
        if other.parameters.get(node.name) is node:
            copies[node] = flow.add_parameter(node.task)  # type: ignore[arg-type]
            continue
        copy = flow.add_node(node.task, mapped=node.mapped)
        copy.constants.update(node.constants)
        if other._own.get(node.task) is node and node.task not in flow._own:
            flow._own[node.task] = copy
        copies[node] = copy
    for edge in other.edges:
        flow._link(
            copies[edge.upstream],
            copies[edge.downstream],
            key=edge.key,
            mapped=edge.mapped,
            flatten=edge.flatten,
        )
    if merge_reference_tasks and other._reference is not None:
        mine = list(flow._reference or [])
        flow._reference = mine + [copies[node] for node in other._reference]
        flow.graph_version += 1


__all__ = ["copy_flow_into", "replace_node"]
