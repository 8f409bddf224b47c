"""1.x graph helpers over the engine: `merge` as 1.x names it, and `apply_map`.

`ifelse`, `switch`, `case` and the operators live in the engine (`proctor.core.branching`,
`proctor.core.graph`); this module only adds what differs in spelling or is 1.x-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proctor.core import context
from proctor.core.branching import case, ifelse, switch
from proctor.core.branching import merge as _merge
from proctor.core.errors import FlowDefinitionError
from proctor.core.flow import Flow
from proctor.core.graph import Node, unmapped
from proctor.core.task import Task


def merge(*tasks: Any, flow: Flow | None = None, mapped: bool = False) -> Node:
    """Join `case` branches: the value of whichever ran (its task is named `Merge`, as 1.x)."""
    return _merge(*tasks, flow=flow, mapped=mapped, name="Merge")


class _Argument(Task):
    """Stands for one argument of `apply_map` while its function is traced."""

    def run(self) -> None:
        return None


def apply_map(func: Callable[..., Any], *args: Any, flow: Flow | None = None, **kwargs: Any) -> Any:
    """Map a whole function of task calls over `args`: every task it calls becomes mapped.

    `func` is traced once; the tasks it adds are added to the flow as mapped tasks, fed
    element by element by the mapped arguments (wrap one in `unmapped(...)` to pass it
    whole) and by each other. Returns what `func` returned (its nodes, now mapped).
    """
    target = flow if flow is not None else context.building_flow.get()
    if target is None:
        raise FlowDefinitionError("apply_map() must be used inside a flow, or given flow=.")
    scratch = Flow(f"apply_map({getattr(func, '__name__', 'func')})")
    stand_ins: dict[Node, Any] = {}

    def stand_in(value: Any) -> Any:
        if isinstance(value, unmapped) and not isinstance(value.value, Node | Task):
            return value.value  # a constant passed whole: it stays a constant
        node = _Argument(name="argument").bind_in_flow(scratch, (), {})
        stand_ins[node] = value
        return node

    traced_args = [stand_in(value) for value in args]
    traced_kwargs = {key: stand_in(value) for key, value in kwargs.items()}
    with scratch:
        returned = func(*traced_args, **traced_kwargs)
    copies = _copy_mapped(scratch, target, stand_ins)
    return _swap(returned, copies)


def _copy_mapped(scratch: Flow, target: Flow, stand_ins: dict[Node, Any]) -> dict[Node, Node]:
    copies: dict[Node, Node] = {}
    for node in scratch.nodes:
        if node in stand_ins:
            continue
        if scratch.parameters.get(node.name) is node:
            copies[node] = target.add_parameter(node.task)  # type: ignore[arg-type]
            continue
        copy = target.add_node(node.task, mapped=True)
        # A plain constant of a mapped task would be mapped over: keep it whole.
        copy.constants.update(
            {
                key: value if isinstance(value, unmapped) else unmapped(value)
                for key, value in node.constants.items()
            }
        )
        copies[node] = copy
    for edge in scratch.edges:
        downstream = copies.get(edge.downstream)
        if downstream is None:
            continue
        # An edge without a key (upstream_tasks, a case block) stays mapped too: child i
        # waits for the upstream's child i, as in 1.x.
        if edge.upstream in stand_ins:
            given = stand_ins[edge.upstream]
            whole = isinstance(given, unmapped)
            inner = given.value if whole else given
            if isinstance(inner, Node | Task):
                target._link(target._node_of(inner), downstream, key=edge.key, mapped=not whole)
            elif edge.key is not None:
                downstream.constants[edge.key] = inner  # a list: mapped element by element
            continue
        target._link(copies[edge.upstream], downstream, key=edge.key, mapped=True)
    return copies


def _swap(value: Any, copies: dict[Node, Node]) -> Any:
    if isinstance(value, Node):
        return copies.get(value, value)
    if isinstance(value, tuple | list):
        return type(value)(_swap(item, copies) for item in value)
    if isinstance(value, dict):
        return {key: _swap(item, copies) for key, item in value.items()}
    return value


__all__ = ["apply_map", "case", "ifelse", "merge", "switch"]
