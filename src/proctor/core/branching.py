"""Conditional branches: `case` and `merge`, and the 1.x helpers `ifelse` and `switch`.

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

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from proctor.core import context, signals, triggers
from proctor.core.errors import FlowDefinitionError
from proctor.core.graph import Node
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.core.flow import Flow


class CompareValue(Task):
    """Raises SKIP unless the upstream value equals `value`."""

    def __init__(self, value: Any, **options: Any) -> None:
        self.value = value
        options.setdefault("name", f"case({value!r})")
        super().__init__(**options)

    def run(self, condition: Any) -> None:
        if condition != self.value:
            raise signals.SKIP(f"Condition value {condition!r} is not {self.value!r}")


# `case` blocks entered while no flow was being built (1.x code that wires tasks with
# `flow=`): the first task a flow gets inside the block attaches the block to that flow.
open_cases: list[case] = []
_attaching: list[bool] = []


class case:
    """Inside this block, tasks run only when `condition`'s value equals `value`."""

    def __init__(self, condition: Any, value: Any) -> None:
        self.condition = condition
        self.value = value
        self._check: Node | None = None
        self._checks: dict[Flow, Node] = {}

    def __enter__(self) -> case:
        flow = context.building_flow.get()
        if flow is None:
            open_cases.append(self)
            return self
        self._check = CompareValue(self.value)(self.condition)
        self._checks[flow] = self._check
        flow.case_stack.append(self._check)
        return self

    def attach(self, flow: Flow, node: Node) -> None:
        """`node` was just added to `flow` inside this block: put it behind the check."""
        if flow in self._checks:
            return
        check = CompareValue(self.value).bind_in_flow(flow, (self.condition,), {})
        self._checks[flow] = check
        flow.case_stack.append(check)
        flow._link(check, node)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self in open_cases:
            open_cases.remove(self)
        for flow, check in self._checks.items():
            if flow.case_stack and flow.case_stack[-1] is check:
                flow.case_stack.pop()


def attach_open_cases(flow: Flow, node: Node) -> None:
    """Called by `Flow.add_node` while a flow-less `case` block is open."""
    if _attaching:
        return  # the check tasks being added themselves
    _attaching.append(True)
    try:
        for pending in list(open_cases):
            pending.attach(flow, node)
    finally:
        _attaching.pop()


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


def merge(
    *branches: Any, flow: Flow | None = None, mapped: bool = False, name: str = "merge"
) -> Node:
    """Join branches of `case` blocks: the value of whichever of them ran.

    `flow=` wires it into that flow instead of the one being built; `mapped=True` merges
    mapped branches element by element.
    """
    if not branches:
        raise FlowDefinitionError("merge() needs at least one branch.")
    joined = Merge(name=name)
    inputs = {f"b{index}": branch for index, branch in enumerate(branches)}
    return joined.bind_in_flow(joined._graph_flow(flow), (), inputs, mapped=mapped)


class AsBool(Task):
    """`bool(x)` of the upstream value: what `ifelse` compares with True and False."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("name", "as_bool")
        super().__init__(**options)

    def run(self, x: Any) -> bool:
        return bool(x)


def switch(
    condition: Any, cases: Mapping[Any, Any], mapped: bool = False, flow: Flow | None = None
) -> None:
    """Run only the task of `cases` whose key equals `condition`'s value; skip the others.

    Each task in `cases` (a call's output or a task object) gets a check task upstream,
    which raises SKIP unless the condition's value is that key.
    """
    chosen = _flow_for(flow, "switch")
    for value, branch in cases.items():
        check = CompareValue(value, name=f'CompareValue: "{value}"')
        node = check.bind_in_flow(chosen, (), {"condition": condition}, mapped=mapped)
        chosen.set_dependencies(branch, upstream_tasks=[node])


def ifelse(
    condition: Any, true_task: Any, false_task: Any, mapped: bool = False, flow: Flow | None = None
) -> None:
    """Run `true_task` when `condition`'s value is truthy, else `false_task`."""
    chosen = _flow_for(flow, "ifelse")
    as_bool = AsBool().bind_in_flow(chosen, (), {"x": condition}, mapped=mapped)
    cases = {True: true_task, False: false_task}
    switch(as_bool, {key: item for key, item in cases.items() if item is not None}, mapped, chosen)


def _flow_for(flow: Flow | None, what: str) -> Flow:
    chosen = flow if flow is not None else context.building_flow.get()
    if chosen is None:
        raise FlowDefinitionError(f"{what}() must be used inside a flow, or given flow=.")
    return chosen


__all__ = [
    "AsBool",
    "CompareValue",
    "Merge",
    "attach_open_cases",
    "case",
    "ifelse",
    "merge",
    "open_cases",
    "switch",
]
