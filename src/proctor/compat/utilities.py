"""1.x helpers from `prefect.utilities.tasks` and `.edges`: `defaults_from_attrs`, `tags`,
`as_task`, `mapped`, and the run-context values the template tasks format with."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from proctor.core import context as _context
from proctor.core.errors import FlowDefinitionError
from proctor.core.graph import Node, mapped
from proctor.core.task import Task

F = TypeVar("F", bound=Callable[..., Any])


def defaults_from_attrs(*attr_args: str) -> Callable[[F], F]:
    """Decorate a task's `run()`: an argument left as None takes the task attribute of the
    same name (`@defaults_from_attrs("command", "env")`). The signature is kept, so the
    flow builder still sees `run()`'s real arguments."""

    def decorate(run: F) -> F:
        @functools.wraps(run)
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            for name in attr_args:
                if kwargs.get(name) is None and name not in _positional(run, args):
                    kwargs[name] = getattr(self, name, None)
            return run(self, *args, **kwargs)

        return method  # type: ignore[return-value]

    return decorate


def _positional(run: Callable[..., Any], args: tuple[Any, ...]) -> set[str]:
    import inspect

    names = [name for name in inspect.signature(run).parameters if name != "self"]
    return {name for name, value in zip(names, args, strict=False) if value is not None}


def as_task(value: Any, flow: Any = None) -> Any:
    """1.x `as_task`: a task output stays what it is; in Proctor a plain value needs no
    wrapping, because tasks take constants as inputs directly."""
    return value


@contextmanager
def tags(*names: str) -> Iterator[None]:
    """`with tags("a", "b"):` tags every task run added to the flow inside the block.

    In 1.x the context tagged every Task built inside it; in Proctor it tags the calls made
    inside a `with Flow(...)` block (each call gets its own copy of the task with the tags
    added, so other calls of the same task keep theirs).
    """
    flow = _context.building_flow.get()
    first = len(flow.nodes) if flow is not None else 0
    try:
        yield
    finally:
        if flow is not None and names:
            for node in flow.nodes[first:]:
                node.task = node.task.copy(tags=set(node.task.tags) | set(names))


def run_context_values() -> dict[str, Any]:
    """The 1.x context keys a template can use, for the task run in progress."""
    run = _context.current_task_run.get()
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "date": now,
        "today": now.strftime("%Y-%m-%d"),
        "yesterday": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
        "tomorrow": (now + timedelta(days=1)).strftime("%Y-%m-%d"),
    }
    if run is None:
        return values
    flow_run = run.flow_run
    values.update(flow_run.extra)
    values.update(
        flow_name=flow_run.flow_name,
        flow_run_id=flow_run.flow_run_id,
        flow_run_name=flow_run.flow_run_name,
        parameters=dict(flow_run.parameters),
        task_name=run.task_name,
        task_slug=run.task_slug,
        task_tags=set(run.task_tags),
        map_index=run.map_index,
        task_run_count=run.run_count,
    )
    if flow_run.scheduled_start is not None:
        values["scheduled_start_time"] = flow_run.scheduled_start
    return values


def check_task(value: Any, what: str) -> Task:
    if not isinstance(value, Task):
        raise FlowDefinitionError(f"{what} must be a task, got {value!r}.")
    return value


def is_node(value: Any) -> bool:
    return isinstance(value, Node)


__all__ = [
    "as_task",
    "defaults_from_attrs",
    "mapped",
    "run_context_values",
    "tags",
]
