"""The nodes and edges of a flow's graph.

Calling a task inside a flow does not run it: it adds a `Node` (a placeholder for the value
the task will produce) and the `Edge`s that feed it. Nodes are what a flow run's result is
keyed by, so users hold on to them: `data = extract()` then `state.result[data]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from proctor.core.errors import FlowDefinitionError

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.task import Task


class Node:
    """One call of a task inside a flow: the placeholder for its future value."""

    __slots__ = ("__weakref__", "constants", "flow", "mapped", "slug", "task")

    def __init__(self, task: Task, flow: Flow, slug: str, *, mapped: bool = False) -> None:
        self.task = task
        self.flow = flow
        self.slug = slug
        self.mapped = mapped
        # Inputs given as plain values, by argument name; values from other tasks are edges.
        self.constants: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return self.task.name

    @property
    def tags(self) -> frozenset[str]:
        return self.task.tags

    def set_upstream(self, upstream: Node, key: str | None = None, mapped: bool = False) -> None:
        """Run after `upstream`; with `key`, also receive its value as that argument."""
        self.flow.add_edge(upstream, self, key=key, mapped=mapped)

    def set_downstream(
        self, downstream: Node, key: str | None = None, mapped: bool = False
    ) -> None:
        """Run `downstream` after this node; with `key`, pass this value as that argument."""
        self.flow.add_edge(self, downstream, key=key, mapped=mapped)

    def __getitem__(self, key: Any) -> Node:
        from proctor.core.builtin_tasks import GetItem

        return GetItem(name=f"{self.name}[{key!r}]").bind_in_flow(self.flow, (self, key), {})

    def __iter__(self) -> Iterator[Node]:
        nout = self.task.nout
        if not nout:
            raise FlowDefinitionError(
                f"Task {self.name!r} returns one value inside a flow; to unpack it, declare "
                f"how many it returns: @task(nout=2)."
            )
        return (self[index] for index in range(nout))

    def __bool__(self) -> bool:
        # `if node:` in a flow body would always be true; branches need `case`.
        raise FlowDefinitionError(
            f"The value of task {self.name!r} is not known while the flow is being built. "
            "Branch on it with `with case(node, value):` instead of `if`."
        )

    def __repr__(self) -> str:
        kind = "mapped " if self.mapped else ""
        return f"<{kind}Node {self.slug!r}>"


@dataclass(frozen=True, slots=True)
class Edge:
    """`upstream` runs before `downstream`; with a `key` its value is that argument."""

    upstream: Node
    downstream: Node
    key: str | None = None
    mapped: bool = False
    flatten: bool = False


@dataclass(frozen=True, slots=True)
class unmapped:
    """Pass this value whole to every mapped child instead of mapping over it."""

    value: Any


@dataclass(frozen=True, slots=True)
class flatten:
    """Flatten an upstream list of lists one level before mapping over it."""

    value: Any


__all__ = ["Edge", "Node", "flatten", "unmapped"]
