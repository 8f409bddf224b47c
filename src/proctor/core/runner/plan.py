"""A flow's graph compiled into flat lists indexed by node number.

Built once per graph version and cached on the flow, so a run does no per-run work that
grows with the graph beyond one pass over it, and the walk itself touches only lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proctor.core.graph import unmapped
from proctor.core.parameter import Parameter
from proctor.core.validation import validate_flow

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node
    from proctor.core.results import Result
    from proctor.core.task import Task

# (argument name, upstream node index, mapped, flatten)
InputEdge = tuple[str, int, bool, bool]


class Plan:
    __slots__ = (
        "constants",
        "downstream",
        "index",
        "inputs",
        "mapped",
        "mapped_constants",
        "mapped_order",
        "nodes",
        "parameter_names",
        "reference",
        "result_stores",
        "slugs",
        "tasks",
        "upstream",
        "upstream_count",
    )

    def __init__(self, flow: Flow) -> None:
        validate_flow(flow)
        nodes = list(flow.nodes)
        index = {node: position for position, node in enumerate(nodes)}
        self.nodes: list[Node] = nodes
        self.index: dict[Node, int] = index
        self.tasks: list[Task] = [node.task for node in nodes]
        self.slugs: list[str] = [node.slug for node in nodes]
        self.mapped: list[bool] = [node.mapped for node in nodes]
        self.upstream_count: list[int] = []
        self.upstream: list[list[int]] = []
        self.downstream: list[list[int]] = []
        self.inputs: list[list[InputEdge]] = []
        self.constants: list[dict[str, Any]] = []
        self.mapped_constants: list[dict[str, Any]] = []
        # Mapped dependencies that carry no value (1.x `task.map(upstream_tasks=[t])`, a
        # `case` inside `apply_map`): they count and order the children. Usually empty.
        self.mapped_order: list[tuple[int, ...]] = []
        self.parameter_names: list[str | None] = []
        self.result_stores: list[Result | None] = []
        for node in nodes:
            upstream_edges = flow.upstream_edges(node)
            self.upstream_count.append(len(upstream_edges))
            self.upstream.append([index[edge.upstream] for edge in upstream_edges])
            self.downstream.append([index[edge.downstream] for edge in flow.downstream_edges(node)])
            self.inputs.append(
                [
                    (edge.key, index[edge.upstream], edge.mapped, edge.flatten)
                    for edge in upstream_edges
                    if edge.key is not None
                ]
            )
            self.mapped_order.append(
                tuple(
                    index[edge.upstream]
                    for edge in upstream_edges
                    if edge.key is None and edge.mapped
                )
                if node.mapped
                else ()
            )
            fixed: dict[str, Any] = {}
            per_child: dict[str, Any] = {}
            for key, value in node.constants.items():
                if isinstance(value, unmapped):
                    fixed[key] = value.value
                elif node.mapped:
                    per_child[key] = value
                else:
                    fixed[key] = value
            self.constants.append(fixed)
            self.mapped_constants.append(per_child)
            task = node.task
            is_parameter = isinstance(task, Parameter) and flow.parameters.get(task.name) is node
            self.parameter_names.append(task.name if is_parameter else None)
            self.result_stores.append(task.result if task.result is not None else flow.result)
        self.reference: list[int] = [index[node] for node in flow.reference_tasks()]


def compile_plan(flow: Flow) -> Plan:
    """The flow's plan, rebuilt only when the graph changed since the last run."""
    cached = flow.compiled_plan
    if cached is not None and cached[0] == flow.graph_version:
        plan: Plan = cached[1]
        return plan
    plan = Plan(flow)
    flow.compiled_plan = (flow.graph_version, plan)
    return plan


__all__ = ["Plan", "compile_plan"]
