"""`proctor.context`: the 1.x run context, read like a dict or by attribute.

Inside a task run it answers what the engine knows about the run (`flow_name`,
`flow_run_id`, `parameters`, `task_name`, `map_index`, `task_run_count`, the loop values,
the dates, `logger`), plus whatever the caller set around the run with
`with proctor.context(key=value): flow.run()`. Nothing is computed until a key is read, so
task runs of code that never looks at the context pay nothing for it.

Values set with `proctor.context(...)` or `update()` live in a context variable (per thread
and per asyncio task); a flow run takes a snapshot when it starts, so tasks running on
other threads or processes see them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from proctor.core.context import TaskRunContext, current_task_run, user_values
from proctor.core.logs import context_logger


def _day(run: TaskRunContext, days: int, fmt: str) -> str:
    moment = datetime.fromtimestamp(run.flow_run.started, UTC) + timedelta(days=days)
    return moment.strftime(fmt)


def _scheduled_start(run: TaskRunContext) -> datetime:
    flow_run = run.flow_run
    if flow_run.scheduled_start is not None:
        return flow_run.scheduled_start
    return datetime.fromtimestamp(flow_run.started, UTC)


def _full_name(run: TaskRunContext) -> str:
    return run.task_name if run.map_index is None else f"{run.task_name}[{run.map_index}]"


# Values the run decides; they win over anything the caller set with the same name.
_RUN_KEYS: dict[str, Callable[[TaskRunContext], Any]] = {
    "flow_name": lambda run: run.flow_run.flow_name,
    "flow_id": lambda run: run.flow_run.flow_name,
    "flow_run_id": lambda run: run.flow_run.flow_run_id,
    "flow_run_name": lambda run: run.flow_run.flow_run_name,
    "parameters": lambda run: dict(run.flow_run.parameters),
    "scheduled_start_time": _scheduled_start,
    "task_name": lambda run: run.task_name,
    "task_full_name": _full_name,
    "task_slug": lambda run: run.task_slug,
    "task_id": lambda run: run.task_slug,
    "task_tags": lambda run: set(run.task_tags),
    "map_index": lambda run: run.map_index,
    "task_run_count": lambda run: run.run_count,
    "logger": lambda run: context_logger(run.task_name),
}

# Values the run only fills in when the caller did not set them (1.x lets a caller pin
# "today" for a backfill, for instance).
_DEFAULT_KEYS: dict[str, Callable[[TaskRunContext], Any]] = {
    "date": lambda run: datetime.fromtimestamp(run.flow_run.started, UTC),
    "today": lambda run: _day(run, 0, "%Y-%m-%d"),
    "yesterday": lambda run: _day(run, -1, "%Y-%m-%d"),
    "tomorrow": lambda run: _day(run, 1, "%Y-%m-%d"),
    "today_nodash": lambda run: _day(run, 0, "%Y%m%d"),
    "yesterday_nodash": lambda run: _day(run, -1, "%Y%m%d"),
    "tomorrow_nodash": lambda run: _day(run, 1, "%Y%m%d"),
}


def _run_only(run: TaskRunContext) -> dict[str, Any]:
    """Keys that exist only in some task runs: the loop values after a LOOP, the name."""
    values: dict[str, Any] = {}
    if run.loop_count > 1:
        values["task_loop_count"] = run.loop_count
        values["task_loop_result"] = run.loop_result
    if run.task_run_name is not None:
        values["task_run_name"] = run.task_run_name
    return values


class Context(MutableMapping[str, Any]):
    """The run context: `context.flow_name`, `context["today"]`, `context.get("logger")`,
    `with context(key=value): ...`, `context.to_dict()`.
    """

    # -- reading --------------------------------------------------------------------------

    def _caller_values(self, run: TaskRunContext | None) -> Mapping[str, Any]:
        own = user_values.get()
        if run is None or not run.flow_run.extra:
            return own
        # The run's snapshot, under whatever this thread set since (a `with` in a task).
        return {**run.flow_run.extra, **own} if own else run.flow_run.extra

    def __getitem__(self, key: str) -> Any:
        run = current_task_run.get()
        if run is None:
            values = user_values.get()
            if key in values:
                return values[key]
            if key == "logger":
                return context_logger()
            raise KeyError(key)
        if key in _RUN_KEYS:
            return _RUN_KEYS[key](run)
        extra = _run_only(run)
        if key in extra:
            return extra[key]
        caller = self._caller_values(run)
        if key in caller:
            return caller[key]
        if key in _DEFAULT_KEYS:
            return _DEFAULT_KEYS[key](run)
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Every value the context holds now, as a plain dict."""
        run = current_task_run.get()
        if run is None:
            return {"logger": context_logger(), **user_values.get()}
        values = {key: compute(run) for key, compute in _DEFAULT_KEYS.items()}
        values.update(self._caller_values(run))
        values.update({key: compute(run) for key, compute in _RUN_KEYS.items()})
        values.update(_run_only(run))
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"'Context' object has no attribute {name!r}") from None

    # -- writing: always a new dict in the context variable, never one mutated in place ---

    def __setitem__(self, key: str, value: Any) -> None:
        user_values.set({**user_values.get(), key: value})

    def __delitem__(self, key: str) -> None:
        values = dict(user_values.get())
        del values[key]
        user_values.set(values)

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set several values for the rest of this thread (1.x `context.update`)."""
        user_values.set({**user_values.get(), **dict(*args, **kwargs)})

    def clear(self) -> None:
        user_values.set({})

    @contextmanager
    def __call__(self, *args: Mapping[str, Any], **kwargs: Any) -> Iterator[Context]:
        """`with context(key=value):` sets values for the block, then restores the old."""
        added: dict[str, Any] = {}
        for mapping in args:
            added.update(mapping)
        added.update(kwargs)
        token = user_values.set({**user_values.get(), **added})
        try:
            yield self
        finally:
            user_values.reset(token)

    def __repr__(self) -> str:
        return "<Context>"


#: The one context object, `proctor.context` (as `prefect.context` in 1.x).
context = Context()


__all__ = ["Context", "context"]
