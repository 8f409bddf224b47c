"""1.x core tasks: `Constant`, the collection tasks `List`/`Tuple`/`Set`/`Dict`, `GetAttr`.

The operator tasks (`Add`, `GreaterThan`, ...) are the engine's (`proctor.core.operator_tasks`).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from proctor.core.task import FunctionTask, Task

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node


class Constant(Task):
    """A task whose result is always `value`."""

    def __init__(self, value: Any, name: str | None = None, **kwargs: Any) -> None:
        self.value = value
        super().__init__(name=name or f"Constant[{type(value).__name__}]", **kwargs)

    def run(self) -> Any:
        return self.value


class VarArgsTask(Task):
    """A task called with any number of positional values, as the 1.x collections are.

    Proctor's flow builder takes named inputs only, so the positions become inputs named
    `i0`, `i1`, ... and `run(**items)` puts them back in order.
    """

    def bind_in_flow(
        self,
        flow: Flow,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        mapped: bool = False,
        upstream_tasks: Iterable[Any] | None = None,
    ) -> Node:
        items = {f"i{index}": value for index, value in enumerate(args)}
        return super().bind_in_flow(
            flow, (), {**items, **kwargs}, mapped=mapped, upstream_tasks=upstream_tasks
        )

    @staticmethod
    def ordered(items: dict[str, Any]) -> list[Any]:
        return [items[key] for key in sorted(items, key=lambda name: int(name[1:]))]


class List(VarArgsTask):
    """`List()(a, b, c)` -> `[a, b, c]`."""

    def run(self, **items: Any) -> list[Any]:
        return self.ordered(items)


class Tuple(VarArgsTask):
    """`Tuple()(a, b)` -> `(a, b)`."""

    def run(self, **items: Any) -> tuple[Any, ...]:
        return tuple(self.ordered(items))


class Set(VarArgsTask):
    """`Set()(a, b, a)` -> `{a, b}`."""

    def run(self, **items: Any) -> set[Any]:
        return set(self.ordered(items))


class Dict(Task):
    """`Dict()(keys=[...], values=[...])` -> `dict(zip(keys, values))`."""

    def run(self, keys: Iterable[Any], values: Iterable[Any]) -> dict[Any, Any]:
        keys, values = list(keys), list(values)
        if len(keys) != len(values):
            raise ValueError(f"Dict got {len(keys)} keys and {len(values)} values.")
        return dict(zip(keys, values, strict=True))


class GetAttr(Task):
    """`getattr(x, attr)`, dotted names included (`"a.b"`)."""

    def __init__(self, attr: str | None = None, **kwargs: Any) -> None:
        self.attr = attr
        super().__init__(**kwargs)

    def run(self, task_result: Any, attr: str | None = None) -> Any:
        name = attr if attr is not None else self.attr
        if name is None:
            raise ValueError("GetAttr needs an attribute name: GetAttr(attr='x').")
        return operator.attrgetter(name)(task_result)


__all__ = ["Constant", "Dict", "FunctionTask", "GetAttr", "List", "Set", "Tuple", "VarArgsTask"]
