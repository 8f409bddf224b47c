"""1.x `resource_manager`: a temporary resource set up before a block of tasks and cleaned
up after it, as three tasks of the flow.

    @resource_manager
    class TempDir:
        def __init__(self, prefix):
            self.prefix = prefix
        def setup(self):
            return tempfile.mkdtemp(prefix=self.prefix)
        def cleanup(self, path):
            shutil.rmtree(path)

    with Flow("x") as flow:
        with TempDir("work-") as path:
            write(path)

`TempDir("work-")` adds the init task (named `TempDir`, builds the object), its setup task
(`TempDir.setup`, returns the resource: the `as` value) and its cleanup task
(`TempDir.cleanup`). Every task added inside the block runs after setup (unless it already
follows a task of the block) and before cleanup. Cleanup runs whatever the block's tasks
did, and is skipped when init or setup did not succeed. Neither init nor cleanup decides
the flow run's state. All of this is 1.x's behaviour, checked against 1.4.1.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, ClassVar, overload

from proctor.core import context, signals
from proctor.core.errors import FlowDefinitionError
from proctor.core.flow import Flow
from proctor.core.graph import Node
from proctor.core.states import State
from proctor.core.task import Task


class ResourceInitTask(Task):
    """Builds the resource manager object from the arguments the block was given."""

    decides_flow_state: ClassVar[bool] = False

    def __init__(self, resource_class: Callable[..., Any], **options: Any) -> None:
        self.resource_class = resource_class
        super().__init__(**options)

    def run(self, **arguments: Any) -> Any:
        positional = [arguments.pop(f"_{index}") for index in range(_count_positional(arguments))]
        return self.resource_class(*positional, **arguments)


def _count_positional(arguments: dict[str, Any]) -> int:
    count = 0
    while f"_{count}" in arguments:
        count += 1
    return count


class ResourceSetupTask(Task):
    """Calls the manager's `setup()`: its value is what the block's `as` names."""

    def run(self, mgr: Any) -> Any:
        return mgr.setup()


class ResourceCleanupTask(Task):
    """Calls the manager's `cleanup(resource)` once the block's tasks are finished."""

    decides_flow_state: ClassVar[bool] = False
    tidies_up: ClassVar[bool] = True

    def run(self, mgr: Any, resource: Any = None) -> None:
        mgr.cleanup(resource)


def _cleanup_trigger(managed: int) -> Callable[[Sequence[State]], bool]:
    """Run when everything upstream finished; skip when init (and setup) did not succeed.

    The cleanup task's first `managed` upstream states are init's and setup's (its first
    edges); the rest are the block's tasks, whose outcome does not matter.
    """

    def resource_cleanup_trigger(upstream: Sequence[State]) -> bool:
        for position, state in enumerate(upstream):
            if not state.is_finished():
                raise signals.TRIGGERFAIL("An upstream task of the clean-up is not finished.")
            if position < managed:
                what = "init" if position == 0 else "setup"
                if state.is_skipped():
                    raise signals.SKIP(f"Resource manager {what} skipped")
                if not state.is_successful():
                    raise signals.SKIP(f"Resource manager {what} failed")
        return True

    return resource_cleanup_trigger


class ResourceContext:
    """The `with` block of one resource: wires the tasks added inside it on exit."""

    def __init__(self, init: Node, setup: Node | None, cleanup: Node, flow: Flow) -> None:
        self.init_task = init
        self.setup_task = setup
        self.cleanup_task = cleanup
        self._flow = flow
        self._first = len(flow.nodes)

    def __enter__(self) -> Node | None:
        self._first = len(self._flow.nodes)
        return self.setup_task

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            return
        flow = self._flow
        inside = list(flow.nodes)[self._first :]
        block = set(inside)
        for node in inside:
            upstream = set(flow.upstream_tasks(node))
            if (
                self.setup_task is not None
                and not (block & upstream)
                and (self.setup_task not in upstream)
            ):
                flow.set_dependencies(node, upstream_tasks=[self.setup_task])
            downstream = set(flow.downstream_tasks(node))
            if not (block & downstream) and self.cleanup_task not in downstream:
                flow.set_dependencies(node, downstream_tasks=[self.cleanup_task])


class ResourceManager:
    """Calling it inside a flow adds the resource's tasks and returns its `with` block."""

    def __init__(
        self,
        resource_class: Callable[..., Any],
        name: str | None = None,
        init_task_kwargs: dict[str, Any] | None = None,
        setup_task_kwargs: dict[str, Any] | None = None,
        cleanup_task_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.resource_class = resource_class
        self.name = name or getattr(resource_class, "__name__", "resource")
        self.init_task_kwargs = {"name": self.name, **(init_task_kwargs or {})}
        self.setup_task_kwargs = {"name": f"{self.name}.setup", **(setup_task_kwargs or {})}
        self.cleanup_task_kwargs = {
            "name": f"{self.name}.cleanup",
            "skip_on_upstream_skip": False,
            **(cleanup_task_kwargs or {}),
        }

    def __call__(self, *args: Any, flow: Flow | None = None, **kwargs: Any) -> ResourceContext:
        chosen = flow if flow is not None else context.building_flow.get()
        if chosen is None:
            raise FlowDefinitionError(
                f"{self.name}(...) (a resource manager) must be used inside a flow, or given flow=."
            )
        try:
            inspect.signature(self.resource_class).bind(*args, **kwargs)
        except TypeError as error:
            raise FlowDefinitionError(f"{self.name}(...): {error}") from None
        arguments = {f"_{index}": value for index, value in enumerate(args)} | kwargs
        init = ResourceInitTask(self.resource_class, **self.init_task_kwargs)
        init_node = init.bind_in_flow(chosen, (), arguments)
        has_setup = hasattr(self.resource_class, "setup")
        options = dict(self.cleanup_task_kwargs)
        options.setdefault("trigger", _cleanup_trigger(2 if has_setup else 1))
        cleanup = ResourceCleanupTask(**options)
        setup_node: Node | None = None
        if has_setup:
            setup_node = ResourceSetupTask(**self.setup_task_kwargs).bind_in_flow(
                chosen, (), {"mgr": init_node}
            )
            cleanup_node = cleanup.bind_in_flow(
                chosen, (), {"mgr": init_node, "resource": setup_node}
            )
        else:
            cleanup_node = cleanup.bind_in_flow(chosen, (), {"mgr": init_node})
        return ResourceContext(init_node, setup_node, cleanup_node, chosen)


@overload
def resource_manager(
    resource_class: Callable[..., Any],
    *,
    name: str | None = None,
    init_task_kwargs: dict[str, Any] | None = None,
    setup_task_kwargs: dict[str, Any] | None = None,
    cleanup_task_kwargs: dict[str, Any] | None = None,
) -> ResourceManager: ...


@overload
def resource_manager(
    resource_class: None = None,
    *,
    name: str | None = None,
    init_task_kwargs: dict[str, Any] | None = None,
    setup_task_kwargs: dict[str, Any] | None = None,
    cleanup_task_kwargs: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], ResourceManager]: ...


def resource_manager(
    resource_class: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    init_task_kwargs: dict[str, Any] | None = None,
    setup_task_kwargs: dict[str, Any] | None = None,
    cleanup_task_kwargs: dict[str, Any] | None = None,
) -> ResourceManager | Callable[[Callable[..., Any]], ResourceManager]:
    """Decorate a class with `setup()` (optional) and `cleanup(resource)` to use it as a
    resource block in flows (see the module's docstring)."""

    def wrap(cls: Callable[..., Any]) -> ResourceManager:
        return ResourceManager(
            cls,
            name=name,
            init_task_kwargs=init_task_kwargs,
            setup_task_kwargs=setup_task_kwargs,
            cleanup_task_kwargs=cleanup_task_kwargs,
        )

    return wrap if resource_class is None else wrap(resource_class)


__all__ = [
    "ResourceCleanupTask",
    "ResourceContext",
    "ResourceInitTask",
    "ResourceManager",
    "ResourceSetupTask",
    "resource_manager",
]
