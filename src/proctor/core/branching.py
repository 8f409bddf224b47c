"""Conditional branches: `case` and `merge`.

    with case(is_big, True):
        big = handle_big(data)
    with case(is_big, False):
        small = handle_small(data)
    final = merge(big, small)

Every task added inside `case(cond, value)` runs after a small check task that raises SKIP
when the condition's value differs; skips then flow downstream, and `merge` picks the
value of whichever branch ran.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from proctor.core import context, signals, triggers
from proctor.core.errors import FlowDefinitionError
from proctor.core.graph import Node
from proctor.core.task import Task


class CompareValue(Task):
    """Raises SKIP unless the upstream value equals `value`."""

    def __init__(self, value: Any, **options: Any) -> None:
        self.value = value
        options.setdefault("name", f"case({value!r})")
        super().__init__(**options)

    def run(self, condition: Any) -> None:
        if condition != self.value:
            raise signals.SKIP(f"Condition value {condition!r} is not {self.value!r}")


class case:
    """Inside this block, tasks run only when `condition`'s value equals `value`."""

    def __init__(self, condition: Any, value: Any) -> None:
        self.condition = condition
        self.value = value
        self._check: Node | None = None

    def __enter__(self) -> case:
        flow = context.building_flow.get()
        if flow is None:
            raise FlowDefinitionError("`case` must be used inside a flow.")
        self._check = CompareValue(self.value)(self.condition)
        flow.case_stack.append(self._check)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        flow = context.building_flow.get()
        if flow is not None and flow.case_stack and flow.case_stack[-1] is self._check:
            flow.case_stack.pop()


class Merge(Task):
    """The value of the first branch that was not skipped."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("name", "merge")
        options.setdefault("trigger", triggers.not_all_skipped)
        options.setdefault("skip_on_upstream_skip", False)
        super().__init__(**options)

    def run(self, **branches: Any) -> Any:
        for key in sorted(branches, key=lambda name: int(name[1:])):
            if branches[key] is not None:
                return branches[key]
        return None


def merge(*branches: Any) -> Node:
    """Join branches of `case` blocks: the value of whichever of them ran."""
    if not branches:
        raise FlowDefinitionError("merge() needs at least one branch.")
    return Merge()(**{f"b{index}": branch for index, branch in enumerate(branches)})


__all__ = ["CompareValue", "Merge", "case", "merge"]
