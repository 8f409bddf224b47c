"""The nodes and edges of a flow's graph.

Calling a task inside a flow does not run it: it adds a `Node` (a placeholder for the value
the task will produce) and the `Edge`s that feed it. Nodes are what a flow run's result is
keyed by, so users hold on to them: `data = extract()` then `state.result[data]`.

`GraphOps` gives nodes and tasks the graph-building spellings of the 1.x API: operators
that add a task computing `x + 1` or `a < b`, `set_upstream`, `pipe`, `is_equal`, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from proctor.core.errors import FlowDefinitionError

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.task import Task


class GraphOps:
    """Graph building shared by `Node` (a call's placeholder) and `Task` (the task itself).

    An operator adds a small task to the flow (`x + 1` adds an `Add`); `==` and `!=` keep
    their usual meaning, so equality is `x.is_equal(y)`. `a | b` runs `b` after `a`.
    """

    __slots__ = ()

    def _graph_flow(self, flow: Flow | None = None) -> Flow:
        raise NotImplementedError

    def _operation(self, kind: str, *operands: Any) -> Node:
        from proctor.core import operator_tasks

        flow = self._graph_flow()
        made: Task = getattr(operator_tasks, kind)()
        names = ("x", "y")
        return made.bind_in_flow(flow, (), dict(zip(names, operands, strict=False)))

    def __add__(self, other: Any) -> Node:
        return self._operation("Add", self, other)

    def __radd__(self, other: Any) -> Node:
        return self._operation("Add", other, self)

    def __sub__(self, other: Any) -> Node:
        return self._operation("Sub", self, other)

    def __rsub__(self, other: Any) -> Node:
        return self._operation("Sub", other, self)

    def __mul__(self, other: Any) -> Node:
        return self._operation("Mul", self, other)

    def __rmul__(self, other: Any) -> Node:
        return self._operation("Mul", other, self)

    def __truediv__(self, other: Any) -> Node:
        return self._operation("Div", self, other)

    def __rtruediv__(self, other: Any) -> Node:
        return self._operation("Div", other, self)

    def __floordiv__(self, other: Any) -> Node:
        return self._operation("FloorDiv", self, other)

    def __rfloordiv__(self, other: Any) -> Node:
        return self._operation("FloorDiv", other, self)

    def __mod__(self, other: Any) -> Node:
        return self._operation("Mod", self, other)

    def __rmod__(self, other: Any) -> Node:
        return self._operation("Mod", other, self)

    def __pow__(self, other: Any) -> Node:
        return self._operation("Pow", self, other)

    def __rpow__(self, other: Any) -> Node:
        return self._operation("Pow", other, self)

    def __and__(self, other: Any) -> Node:
        return self._operation("And", self, other)

    def __rand__(self, other: Any) -> Node:
        return self._operation("And", other, self)

    def __gt__(self, other: Any) -> Node:
        return self._operation("GreaterThan", self, other)

    def __ge__(self, other: Any) -> Node:
        return self._operation("GreaterThanOrEqual", self, other)

    def __lt__(self, other: Any) -> Node:
        return self._operation("LessThan", self, other)

    def __le__(self, other: Any) -> Node:
        return self._operation("LessThanOrEqual", self, other)

    def is_equal(self, other: Any) -> Node:
        """A task computing `self == other` (`==` itself compares the objects)."""
        return self._operation("Equal", self, other)

    def is_not_equal(self, other: Any) -> Node:
        """A task computing `self != other`."""
        return self._operation("NotEqual", self, other)

    def not_(self) -> Node:
        """A task computing `not self`."""
        return self._operation("Not", self)

    def or_(self, other: Any) -> Node:
        """A task computing `self or other` (`|` orders tasks instead)."""
        return self._operation("Or", self, other)

    def __or__(self, other: Any) -> Any:
        """`a | b`: run `b` after `a`; returns `b` so that `a | b | c` reads as a chain."""
        flow = self._graph_flow()
        flow.set_dependencies(self, downstream_tasks=[other])  # type: ignore[arg-type]
        return other

    def __ror__(self, other: Any) -> Any:
        flow = self._graph_flow()
        flow.set_dependencies(self, upstream_tasks=[other])  # type: ignore[arg-type]
        return self

    def pipe(self, task: Task, **kwargs: Any) -> Node:
        """`x.pipe(t, k=v)` is `t(x, k=v)`: reads left to right in long chains."""
        return task.bind_in_flow(self._graph_flow(), (self,), kwargs)

    def set_dependencies(
        self,
        flow: Flow | None = None,
        upstream_tasks: Iterable[Any] | None = None,
        downstream_tasks: Iterable[Any] | None = None,
        keyword_tasks: dict[str, Any] | None = None,
        mapped: bool = False,
        validate: bool | None = None,
    ) -> Any:
        """Wire this into `flow` (default: the one being built); returns self."""
        chosen = self._graph_flow(flow)
        chosen.set_dependencies(
            self,  # type: ignore[arg-type]
            upstream_tasks=upstream_tasks,
            downstream_tasks=downstream_tasks,
            keyword_tasks=keyword_tasks,
            mapped=mapped,
            validate=validate,
        )
        return self

    def set_upstream(
        self, task: Any, flow: Flow | None = None, key: str | None = None, mapped: bool = False
    ) -> Any:
        """Run after `task`; with `key`, also receive its value as that argument."""
        if key is None:
            return self.set_dependencies(flow, upstream_tasks=[task], mapped=mapped)
        return self.set_dependencies(flow, keyword_tasks={key: task}, mapped=mapped)

    def set_downstream(
        self, task: Any, flow: Flow | None = None, key: str | None = None, mapped: bool = False
    ) -> Any:
        """Run `task` after this; with `key`, pass this value to it as that argument."""
        chosen = self._graph_flow(flow)
        if key is None:
            chosen.set_dependencies(task, upstream_tasks=[self], mapped=mapped)  # type: ignore[list-item]
        else:
            chosen.set_dependencies(task, keyword_tasks={key: self}, mapped=mapped)
        return self


class Node(GraphOps):
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

    def __getattr__(self, name: str) -> Any:
        # A node stands for one run of its task, as the task's copy did in 1.x: its
        # options (`node.retries`, `node.max_retries`, `node.run`) read through to the task.
        # Only called for names a node does not have, so it costs nothing otherwise.
        if name.startswith("_") or name in Node.__slots__:
            raise AttributeError(name)
        return getattr(self.task, name)

    def _graph_flow(self, flow: Flow | None = None) -> Flow:
        if flow is not None and flow is not self.flow:
            raise FlowDefinitionError(
                f"Task {self.name!r} belongs to flow {self.flow.name!r}, not {flow.name!r}."
            )
        return self.flow

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

    # The 1.x names of the same fields.
    @property
    def upstream_task(self) -> Node:
        return self.upstream

    @property
    def downstream_task(self) -> Node:
        return self.downstream

    @property
    def flattened(self) -> bool:
        return self.flatten


def _matches(item: Any, member: Any) -> bool:
    return item is member or (isinstance(member, Node) and member.task is item)


class GraphItems(list[Any]):
    """Nodes (or edges) in graph order that also answer the set questions 1.x asked.

    `flow.root_tasks() == [a]` and `flow.root_tasks() == {a}` both hold, and a task added
    with `flow.add_task(t)` is found by the task itself: `t in flow.tasks`.
    """

    def _find(self, item: Any) -> Any:
        for member in self:
            if _matches(item, member):
                return member
        return None

    def __contains__(self, item: object) -> bool:
        return self._find(item) is not None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AbstractSet):
            if len(other) != len(self):
                return False
            found = set()
            for item in other:
                member = self._find(item)
                if member is None:
                    return False
                found.add(id(member))
            return len(found) == len(self)
        return list.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None

    def _others(self, other: Iterable[Any]) -> set[int]:
        return {id(found) for found in map(self._find, other) if found is not None}

    def __sub__(self, other: Iterable[Any]) -> set[Any]:
        drop = self._others(other)
        return {member for member in self if id(member) not in drop}

    def __and__(self, other: Iterable[Any]) -> set[Any]:
        keep = self._others(other)
        return {member for member in self if id(member) in keep}

    def __or__(self, other: Iterable[Any]) -> set[Any]:
        return set(self) | set(other)

    def difference(self, *others: Iterable[Any]) -> set[Any]:
        return self - [item for other in others for item in other]

    def union(self, *others: Iterable[Any]) -> set[Any]:
        result = set(self)
        for other in others:
            result |= set(other)
        return result

    def issubset(self, other: Iterable[Any]) -> bool:
        pool = list(other)
        return all(any(_matches(item, member) for item in pool) for member in self)

    def issuperset(self, other: Iterable[Any]) -> bool:
        return all(item in self for item in other)


@dataclass(frozen=True, slots=True)
class unmapped:
    """Pass this value whole to every mapped child instead of mapping over it."""

    value: Any


@dataclass(frozen=True, slots=True)
class mapped:
    """Map over this value in a plain call (1.x): `add(mapped(xs), 1)` is
    `add.map(xs, unmapped(1))`; the call's other arguments are passed whole."""

    value: Any


@dataclass(frozen=True, slots=True)
class flatten:
    """Flatten an upstream list of lists one level before mapping over it."""

    value: Any


__all__ = ["Edge", "GraphItems", "GraphOps", "Node", "flatten", "mapped", "unmapped"]
