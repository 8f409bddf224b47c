"""Tasks: the units of work a flow is made of.

`@task` turns a function into a `Task`; subclassing `Task` and defining `run()` does the same
for a class. A task is a definition: calling it inside a flow adds a node to that flow's
graph, and the task runner later applies its options (trigger, cache, retries, timeout,
result persistence, hooks) to each run of it.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, TypeVar, overload

from proctor.core import context
from proctor.core.errors import FlowDefinitionError
from proctor.core.graph import GraphOps
from proctor.core.logs import TaskLogger
from proctor.core.states import State

if TYPE_CHECKING:
    from collections.abc import Iterator

    from proctor.core.flow import Flow
    from proctor.core.graph import Node
    from proctor.core.results import Result

P = ParamSpec("P")
R = TypeVar("R")

StateHandler = Callable[["Task", State, State], State | None]
Hook = Callable[["Task", State], None]
RetryDelay = float | int | timedelta | Callable[[int], "float | int | timedelta"]
Template = str | Callable[..., str]


def seconds(value: float | int | timedelta | None, what: str, task_name: str) -> float | None:
    """Normalise a duration option to seconds, with an error naming the task and option."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FlowDefinitionError(
            f"Task {task_name!r}: {what} must be seconds or a timedelta, got {value!r}."
        )
    if value < 0:
        raise FlowDefinitionError(f"Task {task_name!r}: {what} cannot be negative ({value}).")
    return float(value)


class Task(GraphOps):
    """A unit of work. Subclass and define `run()`, or decorate a function with `@task`.

    Options:
        name: shown in the UI and logs; defaults to the function or class name.
        retries: how many more times to try after a failure (`max_retries` is the
            1.x spelling of the same option).
        retry_delay: seconds or timedelta before each retry, or a callable
            `(attempt_number) -> delay` for backoff (see `exponential_backoff`).
        retry_jitter: up to this many extra random seconds on each retry delay.
        timeout: seconds (or timedelta) after which the run ends `TimedOut`.
        trigger: decides from upstream states whether to run (`proctor.triggers`).
        skip_on_upstream_skip: skip when any upstream task was skipped (default True).
        cache_for: how long a successful result may be reused instead of running again.
        cache_key: a template or callable naming the cache entry, shared by tasks using it.
        cache_validator: decides whether a cached result is still valid
            (`proctor.cache_validators`); default `duration_only`.
        result: where outputs are persisted (`proctor.results`); default the flow's.
        checkpoint: persist outputs to `result` (default True when a result is set).
        target: a templated location; when it exists the task is skipped as `Cached`
            and its value read from there.
        tags: labels for filtering and concurrency limits.
        task_run_name: a template (`"item-{x}"`, the task's inputs and run values) or a
            callable naming each run of the task (`context.task_run_name` inside it).
        nout: how many values the task returns, to unpack it inside a flow.
        log_stdout: send `print()` output of the task to its run logger.
        on_success, on_failure: `(task, state)` hooks.
        state_handlers: `(task, old_state, new_state) -> new_state | None` hooks.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        retries: int = 0,
        retry_delay: RetryDelay = 0,
        retry_jitter: float | timedelta = 0,
        timeout: float | timedelta | None = None,
        trigger: Callable[..., bool] | None = None,
        skip_on_upstream_skip: bool = True,
        cache_for: float | timedelta | None = None,
        cache_key: Template | None = None,
        cache_validator: Callable[..., bool] | None = None,
        result: Result | None = None,
        checkpoint: bool | None = None,
        target: Template | None = None,
        tags: Iterable[str] | None = None,
        nout: int | None = None,
        log_stdout: bool = False,
        on_success: Hook | None = None,
        on_failure: Hook | None = None,
        state_handlers: Iterable[StateHandler] | None = None,
        description: str | None = None,
        max_retries: int | None = None,
        task_run_name: Template | None = None,
    ) -> None:
        self.name = name or type(self).__name__
        label = self.name
        if max_retries is not None:
            if retries not in (0, max_retries):
                raise FlowDefinitionError(
                    f"Task {label!r}: retries={retries!r} and max_retries={max_retries!r} "
                    "disagree; max_retries is the 1.x name of retries: give one of them."
                )
            retries = max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise FlowDefinitionError(
                f"Task {label!r}: retries must be a whole number >= 0, got {retries!r}."
            )
        self.retries = retries
        if callable(retry_delay):
            self.retry_delay: float | Callable[[int], float | int | timedelta] = retry_delay
        else:
            self.retry_delay = seconds(retry_delay, "retry_delay", label) or 0.0
        self.retry_jitter = seconds(retry_jitter, "retry_jitter", label) or 0.0
        self.timeout = seconds(timeout, "timeout", label)
        if self.timeout == 0:
            raise FlowDefinitionError(f"Task {label!r}: timeout must be more than 0 seconds.")
        if trigger is not None and not callable(trigger):
            raise FlowDefinitionError(
                f"Task {label!r}: trigger must be callable (see proctor.triggers), got {trigger!r}."
            )
        from proctor.core.triggers import all_successful

        self.trigger: Callable[..., bool] = trigger or all_successful
        self.skip_on_upstream_skip = bool(skip_on_upstream_skip)
        self.cache_for = seconds(cache_for, "cache_for", label)
        if cache_key is not None and not (isinstance(cache_key, str) or callable(cache_key)):
            raise FlowDefinitionError(
                f"Task {label!r}: cache_key must be a template string or a callable."
            )
        self.cache_key = cache_key
        if cache_validator is not None and not callable(cache_validator):
            raise FlowDefinitionError(
                f"Task {label!r}: cache_validator must be callable (proctor.cache_validators)."
            )
        self.cache_validator = cache_validator
        if result is not None and not (hasattr(result, "write") and hasattr(result, "read")):
            raise FlowDefinitionError(
                f"Task {label!r}: result must be a Result such as LocalResult(dir=...), "
                f"got {result!r}."
            )
        self.result = result
        self.checkpoint = checkpoint
        if target is not None and not (isinstance(target, str) or callable(target)):
            raise FlowDefinitionError(f"Task {label!r}: target must be a template or callable.")
        self.target = target
        if isinstance(tags, str):
            tags = [tags]
        self.tags: frozenset[str] = frozenset(tags or ())
        if nout is not None and (isinstance(nout, bool) or not isinstance(nout, int) or nout < 1):
            raise FlowDefinitionError(f"Task {label!r}: nout must be a whole number >= 1.")
        self.nout = nout
        self.log_stdout = bool(log_stdout)
        self.on_success = on_success
        self.on_failure = on_failure
        self.state_handlers: tuple[StateHandler, ...] = tuple(state_handlers or ())
        if task_run_name is not None and not (
            isinstance(task_run_name, str) or callable(task_run_name)
        ):
            raise FlowDefinitionError(
                f"Task {label!r}: task_run_name must be a template string or a callable."
            )
        self.task_run_name = task_run_name
        self.description = description if description is not None else inspect.getdoc(self)
        # A bare `Task()` is a no-op step (a join point, as in 1.x); a subclass that forgot
        # run() is a mistake worth naming now rather than at run time.
        if type(self).run is Task.run and type(self) is not Task:
            raise FlowDefinitionError(
                f"Task class {type(self).__name__} has no run() method: define one, "
                "or decorate a function with @task."
            )

    #: This task's logger (`self.logger` inside `run()`); lines carry the task run's identity.
    logger = TaskLogger()

    #: Housekeeping tasks (a resource's set-up and clean-up, 1.x `resource_manager`) set
    #: these: `decides_flow_state = False` keeps the task out of the flow's default
    #: reference tasks, `tidies_up = True` lets the tasks before it stay terminal ones.
    decides_flow_state: ClassVar[bool] = True
    tidies_up: ClassVar[bool] = False

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """The work itself; subclasses define it. A bare `Task()` does nothing: None."""
        return None

    @property
    def max_retries(self) -> int:
        """The 1.x name of `retries`."""
        return self.retries

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.run)

    # -- building flows -------------------------------------------------------------------

    def __call__(
        self, *args: Any, upstream_tasks: Iterable[Any] | None = None, **kwargs: Any
    ) -> Node:
        """Inside a flow: add a run of this task, fed by the arguments, and return its node.

        The 1.x options `flow=`, `mapped=` and `task_args={...}` (options of this run's copy
        of the task) are understood unless `run()` itself takes an argument of that name.
        """
        if kwargs and not _CALL_OPTIONS.isdisjoint(kwargs):
            return self._call_with_options(args, kwargs, False, upstream_tasks)
        return self.bind_in_flow(self._current_flow(), args, kwargs, upstream_tasks=upstream_tasks)

    def map(self, *args: Any, upstream_tasks: Iterable[Any] | None = None, **kwargs: Any) -> Node:
        """Inside a flow: run this task once per element of the (upstream) iterables given.

        Wrap an argument in `unmapped(...)` to pass it whole to every child, or in
        `flatten(...)` to map over a list of lists as one list.
        """
        if kwargs and not _CALL_OPTIONS.isdisjoint(kwargs):
            return self._call_with_options(args, kwargs, True, upstream_tasks)
        return self.bind_in_flow(
            self._current_flow(), args, kwargs, mapped=True, upstream_tasks=upstream_tasks
        )

    def _call_with_options(
        self,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        mapped: bool,
        upstream_tasks: Iterable[Any] | None,
    ) -> Node:
        taken = self.signature.parameters
        options = {key: kwargs.pop(key) for key in _CALL_OPTIONS if key in kwargs}
        for key in [key for key in options if key in taken]:
            kwargs[key] = options.pop(key)  # an argument of run(), not an option
        flow = self._graph_flow(options.get("flow"))
        chosen: Task = self
        task_args = options.get("task_args")
        if task_args:
            chosen = self.copy(**task_args)
        mapped = mapped or bool(options.get("mapped"))
        return chosen.bind_in_flow(flow, args, kwargs, mapped=mapped, upstream_tasks=upstream_tasks)

    def bind(
        self,
        *args: Any,
        mapped: bool = False,
        upstream_tasks: Iterable[Any] | None = None,
        flow: Flow | None = None,
        **kwargs: Any,
    ) -> Task:
        """Feed this task itself (not a copy) with arguments in `flow`; returns the task.

        The imperative form of a call: the flow gets one run of this very task object, so
        `state.result[task]` finds it.
        """
        chosen = self._graph_flow(flow)
        inputs = self._inputs(args, kwargs)
        chosen.set_dependencies(
            self, upstream_tasks=upstream_tasks, keyword_tasks=inputs, mapped=mapped
        )
        return self

    def _graph_flow(self, flow: Flow | None = None) -> Flow:
        return flow if flow is not None else self._current_flow()

    def __getitem__(self, key: Any) -> Node:
        return self._graph_flow().set_dependencies(self)[key]

    def __iter__(self) -> Iterator[Node]:
        return iter(self._graph_flow().set_dependencies(self))

    def bind_in_flow(
        self,
        flow: Flow,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        mapped: bool = False,
        upstream_tasks: Iterable[Any] | None = None,
    ) -> Node:
        """Check the call against `run()`'s signature and add the node to `flow`."""
        inputs = self._inputs(args, kwargs)
        return flow.add_call(self, inputs, mapped=mapped, upstream_tasks=upstream_tasks)

    def _inputs(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The call's arguments by name, checked against `run()`'s signature."""
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise FlowDefinitionError(
                f"Task {self.name!r} was called with the wrong arguments: {exc}. "
                f"It takes {self.name}{self.signature}."
            ) from None
        inputs: dict[str, Any] = {}
        for param_name, value in bound.arguments.items():
            kind = self.signature.parameters[param_name].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                raise FlowDefinitionError(
                    f"Task {self.name!r} takes *{param_name}; tasks in a flow take named "
                    "arguments only. Accept a list instead."
                )
            if kind is inspect.Parameter.VAR_KEYWORD:
                inputs.update(value)
            else:
                inputs[param_name] = value
        return inputs

    def _current_flow(self) -> Flow:
        flow = context.building_flow.get()
        if flow is None:
            raise FlowDefinitionError(
                f"Task {self.name!r} was called outside a flow. Call it inside "
                f"`with Flow(...)` or a @flow function; to run it directly, use "
                f"{self.name}.run(...)."
            )
        return flow

    # -- copies and description -----------------------------------------------------------

    def copy(self, **options: Any) -> Task:
        """A copy of this task with some options changed: `fetch.copy(retries=3)`."""
        import copy

        if "max_retries" in options:
            options["retries"] = options.pop("max_retries")
        unknown = options.keys() - _OPTION_NAMES
        if unknown:
            raise FlowDefinitionError(
                f"Task {self.name!r}: unknown option(s) {sorted(unknown)}. "
                f"Options: {', '.join(sorted(_OPTION_NAMES))}."
            )
        merged = {key: getattr(self, key) for key in _OPTION_NAMES}
        merged.update(options)
        new = copy.copy(self)
        Task.__init__(new, **merged)  # validates the new options like a fresh task
        return new

    def __repr__(self) -> str:
        return f"<Task {self.name!r}>"


_OPTION_NAMES = frozenset(
    inspect.signature(Task.__init__).parameters.keys() - {"self", "max_retries"}
)
# Keywords of a call that are options of the call, not arguments of `run()` (1.x spellings).
_CALL_OPTIONS = frozenset({"flow", "mapped", "task_args"})


class FunctionTask(Task, Generic[P, R]):
    """A task whose work is a plain function."""

    def __init__(self, fn: Callable[P, R], name: str | None = None, **options: Any) -> None:
        if not callable(fn):
            raise FlowDefinitionError(f"@task needs a function, got {fn!r}.")
        self.fn = fn
        options.setdefault("description", inspect.getdoc(fn))
        if options.get("nout") is None:
            options["nout"] = _nout_from_annotation(fn)
        super().__init__(name=name or getattr(fn, "__name__", None), **options)
        functools.update_wrapper(self, fn)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.fn)


def _nout_from_annotation(fn: Callable[..., Any]) -> int | None:
    """How many values a function returns, from a `-> tuple[int, str]` annotation."""
    annotation = getattr(fn, "__annotations__", {}).get("return")
    if annotation is None:
        return None
    if isinstance(annotation, str):
        # Postponed annotations: resolve only what can be a fixed-size tuple.
        if not annotation.replace("typing.", "").lower().startswith("tuple["):
            return None
        try:
            annotation = typing.get_type_hints(fn).get("return")
        except Exception:
            return None
    if typing.get_origin(annotation) is not tuple:
        return None
    items = typing.get_args(annotation)
    if not items or Ellipsis in items or items == ((),):
        return None
    return len(items)


@overload
def task(fn: Callable[P, R], /) -> FunctionTask[P, R]: ...


@overload
def task(fn: None = None, /, **options: Any) -> Callable[[Callable[P, R]], FunctionTask[P, R]]: ...


def task(
    fn: Callable[P, R] | None = None, /, **options: Any
) -> FunctionTask[P, R] | Callable[[Callable[P, R]], FunctionTask[P, R]]:
    """Make a task of a function: `@task` or `@task(retries=3, cache_for=60, ...)`.

    Takes every option of `Task`.
    """
    if fn is not None:
        return FunctionTask(fn, **options)

    def decorate(function: Callable[P, R]) -> FunctionTask[P, R]:
        return FunctionTask(function, **options)

    return decorate


def exponential_backoff(
    base: float = 1.0, factor: float = 2.0, max_delay: float | None = None
) -> Callable[[int], float]:
    """A `retry_delay` that waits base, base*factor, base*factor**2, ... seconds."""

    def delay(attempt: int) -> float:
        value = base * factor ** max(attempt - 1, 0)
        return min(value, max_delay) if max_delay is not None else value

    delay.__name__ = f"exponential_backoff({base}, {factor}, {max_delay})"
    return delay


__all__ = ["FunctionTask", "Task", "exponential_backoff", "task"]
