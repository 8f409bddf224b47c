"""Flows: graphs of task runs, built with `with Flow(...)` or `@flow`.

The graph is plain data (nodes and edges); running it is the flow runner's job
(`proctor.core.runner`), describing it is `serialize()`'s (`proctor.core.spec`).
"""

from __future__ import annotations

import inspect
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, overload

from proctor.core import branching, context
from proctor.core.errors import FlowDefinitionError, ParameterError
from proctor.core.graph import Edge, GraphItems, Node, flatten, unmapped
from proctor.core.graph import mapped as mapped_argument
from proctor.core.parameter import NO_DEFAULT, Parameter
from proctor.core.registration import Registration, RegistrationRequest, register_flow
from proctor.core.secrets import Secret
from proctor.core.states import Paused, State
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.core.executors.base import Executor
    from proctor.core.observers import RunObserver
    from proctor.core.results import Result
    from proctor.core.schedules import Schedule
    from proctor.core.spec import FlowSpec
    from proctor.core.storage import Storage

FlowStateHandler = Callable[["Flow", State, State], State | None]
FlowHook = Callable[["Flow", State], None]
TerminalStateHandler = Callable[["Flow", State, set[State]], State | None]
FlowRetryDelay = float | int | timedelta | Callable[[int], "float | int | timedelta"]

# Frames inside these folders are the engine building a flow, not the user's file.
_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))


class Flow:
    """A named graph of tasks.

    with Flow("etl", schedule=CronSchedule("0 6 * * *")) as flow:
        rows = extract(Parameter("day", type=str))
        load(transform.map(rows))
    state = flow.run(day="2026-01-01")

    `retries` / `retry_delay` retry the whole flow run when it fails: the next attempt
    reuses the task runs that succeeded and runs the others again. `retry_delay` is
    seconds, a timedelta, or a function of the attempt number (1 for the first retry).
    """

    def __init__(
        self,
        name: str,
        schedule: Schedule | None = None,
        *,
        executor: Executor | None = None,
        result: Result | None = None,
        storage: Storage | None = None,
        labels: Iterable[str] | None = None,
        run_config: Mapping[str, Any] | None = None,
        reference_tasks: Iterable[Node] | None = None,
        state_handlers: Iterable[FlowStateHandler] | None = None,
        on_success: FlowHook | None = None,
        on_failure: FlowHook | None = None,
        description: str | None = None,
        retries: int = 0,
        retry_delay: FlowRetryDelay = 0,
        tasks: Iterable[Task | Node] | None = None,
        edges: Iterable[Edge] | None = None,
        validate: bool | None = None,
        terminal_state_handler: TerminalStateHandler | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise FlowDefinitionError(f"A flow needs a non-empty name, got {name!r}.")
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise FlowDefinitionError(
                f"Flow {name!r}: retries must be a whole number >= 0, got {retries!r}."
            )
        self.name = name
        self.retries = retries
        self.retry_delay: float | Callable[[int], float | int | timedelta] = (
            retry_delay if callable(retry_delay) else _delay_seconds(name, retry_delay)
        )
        # The file that built the flow: the default storage when it is registered.
        self.source_file: str | None = _caller_file()
        self.schedule = schedule
        self.executor = executor
        self.result = result
        self.storage = storage
        self.labels: list[str] = sorted(set(labels or ()))
        self.run_config: dict[str, Any] = dict(run_config or {})
        self.state_handlers: tuple[FlowStateHandler, ...] = tuple(state_handlers or ())
        self.on_success = on_success
        self.on_failure = on_failure
        # (flow, final state, reference task states) -> replacement state or None, once the
        # reference tasks decided the run's state.
        self.terminal_state_handler = terminal_state_handler
        self.description = description
        self.nodes: list[Node] = []
        self.edges: GraphItems = GraphItems()
        self.parameters: ParameterNodes = ParameterNodes()
        # Nodes added for a task object itself (imperative API), not for a call of it.
        self._own: dict[Task, Node] = {}
        self.case_stack: list[Node] = []
        self._slugs: dict[str, int] = {}
        self._reference: list[Node] | None = None
        self._upstream: dict[Node, list[Edge]] = {}
        self._downstream: dict[Node, list[Edge]] = {}
        self._input_keys: dict[Node, set[str]] = {}
        # Bumped on every graph change, so compiled run plans know when they are stale.
        self.graph_version = 0
        self.compiled_plan: tuple[int, Any] | None = None
        self._tokens: list[Any] = []
        for item in tasks or ():
            self.add_task(item)
        for edge in edges or ():
            self.add_edge(
                edge.upstream,
                edge.downstream,
                key=edge.key,
                mapped=edge.mapped,
                flatten=edge.flatten,
            )
        if reference_tasks is not None:
            self.set_reference_tasks(reference_tasks)
        if validate:
            self.validate()

    # -- building -------------------------------------------------------------------------

    def __enter__(self) -> Flow:
        self._tokens.append(context.building_flow.set(self))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        context.building_flow.reset(self._tokens.pop())

    def add_node(self, task: Task, *, mapped: bool = False) -> Node:
        """Add one run of `task` with no inputs yet; usually calling the task does this."""
        base = task.name
        count = self._slugs.get(base, 0) + 1
        self._slugs[base] = count
        slug = base if count == 1 else f"{base}-{count}"
        node = Node(task, self, slug, mapped=mapped)
        self.nodes.append(node)
        self._upstream[node] = []
        self._downstream[node] = []
        self.graph_version += 1
        for check in self.case_stack:
            self._link(check, node)
        if branching.open_cases:
            branching.attach_open_cases(self, node)
        return node

    def add_parameter(self, parameter: Parameter) -> Node:
        """Add a parameter (done when one is created inside the flow's block)."""
        existing = self.parameters.get(parameter.name)
        if existing is not None:
            if existing.task is parameter:
                return existing
            raise FlowDefinitionError(
                f"Flow {self.name!r} already has a parameter named {parameter.name!r}."
            )
        saved, self.case_stack = self.case_stack, []
        try:
            node = self.add_node(parameter)
        finally:
            self.case_stack = saved
        self.parameters[parameter.name] = node
        return node

    def add_task(self, task: Task | Node) -> Task | Node:
        """Add a task object itself to the flow, with no inputs yet (the imperative API)."""
        self._node_of(task)
        return task

    def add_edge(
        self,
        upstream: Node | Task | None = None,
        downstream: Node | Task | None = None,
        *,
        key: str | None = None,
        mapped: bool = False,
        flatten: bool = False,
        upstream_task: Node | Task | None = None,
        downstream_task: Node | Task | None = None,
        flattened: bool | None = None,
        validate: bool | None = None,
    ) -> Edge:
        """`downstream` runs after `upstream`; with `key` it gets its value as that argument.

        Takes tasks or nodes, under Proctor's names or 1.x's (`upstream_task=`,
        `downstream_task=`, `flattened=`); a task not yet in the flow is added.
        """
        first = upstream if upstream is not None else upstream_task
        second = downstream if downstream is not None else downstream_task
        if first is None or second is None:
            raise FlowDefinitionError("add_edge() needs an upstream and a downstream task.")
        edge = self._link(
            self._node_of(first),
            self._node_of(second),
            key=key,
            mapped=mapped,
            flatten=flatten if flattened is None else flattened,
        )
        if validate:
            from proctor.core.validation import topological_order

            topological_order(self)
        return edge

    def _link(
        self,
        upstream: Node,
        downstream: Node,
        *,
        key: str | None = None,
        mapped: bool = False,
        flatten: bool = False,
    ) -> Edge:
        for node in (upstream, downstream):
            if node.flow is not self:
                raise FlowDefinitionError(
                    f"Task {node.name!r} belongs to flow {node.flow.name!r}, not {self.name!r}."
                )
        if key is not None:
            keys = self._input_keys.setdefault(downstream, set())
            if key in keys:
                raise FlowDefinitionError(
                    f"Task {downstream.name!r} already gets argument {key!r} from another task."
                )
            keys.add(key)
        edge = Edge(upstream, downstream, key, mapped, flatten)
        self.edges.append(edge)
        self._upstream[downstream].append(edge)
        self._downstream[upstream].append(edge)
        self.graph_version += 1
        return edge

    def add_call(
        self,
        task: Task,
        inputs: dict[str, Any],
        *,
        mapped: bool = False,
        upstream_tasks: Iterable[Any] | None = None,
    ) -> Node:
        """Add a node for `task` fed by `inputs` (values, nodes, `unmapped`, `flatten`)."""
        if not mapped and any(type(value) is mapped_argument for value in inputs.values()):
            # 1.x `t(mapped(xs), y)`: a map over the marked arguments, the others whole.
            mapped = True
            inputs = {
                key: value.value
                if type(value) is mapped_argument
                else value
                if isinstance(value, unmapped | flatten)
                else unmapped(value)
                for key, value in inputs.items()
            }
        resolved = {key: self._resolve_input(task, key, value) for key, value in inputs.items()}
        order_only: list[Node] = []
        # With nothing else to map over, `task.map(upstream_tasks=[t])` maps over `t` (as
        # 1.x does: one child per element of t, each after t's child of the same index).
        mapped_order: list[Node] = []
        for item in upstream_tasks or ():
            whole = isinstance(item, unmapped)
            upstream = self._as_node(task, item.value if whole else item, "upstream_tasks")
            (order_only if whole else mapped_order).append(upstream)
        if mapped and all(isinstance(value, unmapped) for value in resolved.values()):
            if not mapped_order:
                raise FlowDefinitionError(
                    f"{task.name}.map() needs at least one argument or upstream task to map "
                    "over; every one is unmapped (or there are none). Call the task instead "
                    "of mapping it."
                )
        else:
            order_only.extend(mapped_order)
            mapped_order = []
        node = self.add_node(task, mapped=mapped)
        for key, value in resolved.items():
            wrapper = value if isinstance(value, unmapped | flatten) else None
            inner = wrapper.value if wrapper is not None else value
            if isinstance(inner, Node):
                self._link(
                    inner,
                    node,
                    key=key,
                    mapped=mapped and not isinstance(wrapper, unmapped),
                    flatten=isinstance(wrapper, flatten),
                )
            elif isinstance(wrapper, flatten):
                raise FlowDefinitionError(
                    f"Task {task.name!r}: flatten() wraps the output of another task."
                )
            else:
                node.constants[key] = value
        for upstream in order_only:
            self._link(upstream, node)
        for upstream in mapped_order:
            self._link(upstream, node, mapped=True)
        return node

    def _resolve_input(self, task: Task, key: str, value: Any) -> Any:
        if isinstance(value, Node | Parameter):
            return self._as_node(task, value, key)
        if isinstance(value, unmapped | flatten):
            return type(value)(self._resolve_input(task, key, value.value))
        if isinstance(value, Secret):
            return value.node_in(self)  # read at run time, by a task of its own
        if isinstance(value, Task):
            # A task passed without calling it: its own run in this flow (as 1.x does).
            return self._node_of(value)
        if isinstance(value, list | tuple | set | dict) and _holds_node(value):
            return self._collect(task, key, value)
        return value

    def _as_node(self, task: Task, value: Any, key: str) -> Node:
        if isinstance(value, Node):
            return value
        if isinstance(value, Task):
            return self._node_of(value)
        raise FlowDefinitionError(
            f"Task {task.name!r}: {key} must hold tasks' outputs, got {value!r}."
        )

    def _collect(self, task: Task, key: str, value: Any) -> Node:
        from proctor.core import builtin_tasks as builtins

        if isinstance(value, dict):
            items = {f"v{index}": item for index, item in enumerate(value.values())}
            collector: Task = builtins.ToDict(name=f"{task.name}.{key}")
            return collector.bind_in_flow(self, (), {"keys": list(value.keys()), **items})
        kinds: dict[type, type[Task]] = {
            list: builtins.ToList,
            tuple: builtins.ToTuple,
            set: builtins.ToSet,
        }
        collector = kinds[type(value) if type(value) in kinds else list](name=f"{task.name}.{key}")
        items = {f"i{index}": item for index, item in enumerate(value)}
        return collector.bind_in_flow(self, (), items)

    def set_dependencies(
        self,
        task: Task | Node,
        upstream_tasks: Iterable[Task | Node] | None = None,
        downstream_tasks: Iterable[Task | Node] | None = None,
        keyword_tasks: Mapping[str, Any] | None = None,
        mapped: bool = False,
        validate: bool | None = None,
    ) -> Node:
        """Wire a task into the graph without calling it (the imperative API).

        A task object gets one node of its own in the flow (a task called once inside the
        flow is found by its call); returns that node.
        """
        with self:
            node = self._node_of(task)
            if mapped and not node.mapped:
                node.mapped = True
                self.graph_version += 1
            for key, value in (keyword_tasks or {}).items():
                resolved = self._resolve_input(node.task, key, value)
                wrapper = resolved if isinstance(resolved, unmapped | flatten) else None
                inner = wrapper.value if wrapper is not None else resolved
                if isinstance(inner, Node):
                    self._link(
                        inner,
                        node,
                        key=key,
                        mapped=mapped and not isinstance(wrapper, unmapped),
                        flatten=isinstance(wrapper, flatten),
                    )
                else:
                    node.constants[key] = resolved
            for upstream in upstream_tasks or ():
                self._link(self._node_of(upstream), node)
            for downstream in downstream_tasks or ():
                self._link(node, self._node_of(downstream))
        if validate:
            self.validate()
        return node

    def _node_of(self, item: Task | Node) -> Node:
        if isinstance(item, Node):
            if item.flow is not self:
                raise FlowDefinitionError(
                    f"Task {item.name!r} belongs to flow {item.flow.name!r}, not {self.name!r}."
                )
            return item
        if isinstance(item, Parameter):
            return self.add_parameter(item)
        if not isinstance(item, Task):
            raise FlowDefinitionError(
                f"Flow {self.name!r}: expected a task or a task's output, got {item!r}."
            )
        own = self._own.get(item)
        if own is not None:
            return own
        found = [node for node in self.nodes if node.task is item]
        if len(found) == 1:
            return found[0]
        if found:
            raise FlowDefinitionError(
                f"Task {item.name!r} appears {len(found)} times in flow {self.name!r}; "
                "pass the node its call returned instead."
            )
        node = self.add_node(item)
        self._own[item] = node
        return node

    def chain(self, *tasks: Task | Node, validate: bool | None = None) -> list[Edge]:
        """Run the tasks one after the other, in the order given; returns the edges."""
        nodes = [self._node_of(item) for item in tasks]
        edges = [self._link(first, second) for first, second in itertools.pairwise(nodes)]
        if validate:
            self.validate()
        return edges

    def replace(self, old: Task | Node, new: Task | Node, validate: bool = True) -> None:
        """Put `new` where `old` is: it gets old's inputs, edges and reference role."""
        from proctor.core.flow_edit import replace_node

        replace_node(self, self._existing(old), new)
        if validate:
            from proctor.core.validation import topological_order

            topological_order(self)

    def update(
        self,
        flow: Flow,
        merge_parameters: bool = False,
        validate: bool | None = None,
        merge_reference_tasks: bool = False,
    ) -> None:
        """Add every task and edge of another flow to this one (its nodes are copied)."""
        from proctor.core.flow_edit import copy_flow_into

        copy_flow_into(self, flow, merge_reference_tasks=merge_reference_tasks)
        if validate:
            self.validate()

    def _existing(self, item: Task | Node) -> Node:
        if isinstance(item, Node) and item.flow is self:
            return item
        if isinstance(item, Task):
            own = self._own.get(item)
            found = [own] if own is not None else [n for n in self.nodes if n.task is item]
            if len(found) == 1:
                return found[0]
        raise FlowDefinitionError(f"Flow {self.name!r} has no single task {item!r}.")

    # -- reading the graph ----------------------------------------------------------------

    def upstream_edges(self, node: Node) -> list[Edge]:
        return self._upstream[node]

    def downstream_edges(self, node: Node) -> list[Edge]:
        return self._downstream[node]

    @property
    def tasks(self) -> GraphItems:
        """Every node, in the order added (compares equal to a set of them, as in 1.x)."""
        return GraphItems(self.nodes)

    def root_tasks(self) -> GraphItems:
        return GraphItems(node for node in self.nodes if not self._upstream[node])

    def terminal_tasks(self) -> GraphItems:
        return GraphItems(node for node in self.nodes if not self._downstream[node])

    def reference_tasks(self) -> GraphItems:
        """The nodes whose states decide the flow run's state (default: terminal ones)."""
        if self._reference is not None:
            return GraphItems(self._reference)
        if all(node.task.decides_flow_state for node in self.nodes):
            return self.terminal_tasks()
        # Housekeeping tasks do not decide the run's state, and do not stop the tasks they
        # follow from deciding it (as 1.x treats a resource manager's tasks).
        return GraphItems(
            node
            for node in self.nodes
            if node.task.decides_flow_state
            and all(edge.downstream.task.tidies_up for edge in self._downstream[node])
        )

    def upstream_tasks(self, task: Task | Node) -> GraphItems:
        """The nodes `task` runs after (its direct upstream)."""
        edges = self._upstream[self._existing(task)]
        return GraphItems(dict.fromkeys(edge.upstream for edge in edges))

    def downstream_tasks(self, task: Task | Node) -> GraphItems:
        """The nodes that run after `task` (its direct downstream)."""
        edges = self._downstream[self._existing(task)]
        return GraphItems(dict.fromkeys(edge.downstream for edge in edges))

    def edges_to(self, task: Task | Node) -> GraphItems:
        return GraphItems(self._upstream[self._existing(task)])

    def edges_from(self, task: Task | Node) -> GraphItems:
        return GraphItems(self._downstream[self._existing(task)])

    def set_reference_tasks(self, nodes: Iterable[Node | Task]) -> None:
        self._reference = [self._node_of(node) for node in nodes]
        self.graph_version += 1

    def get_tasks(
        self,
        name: str | None = None,
        *,
        slug: str | None = None,
        tags: Iterable[str] | None = None,
        task_type: type[Task] | None = None,
    ) -> list[Node]:
        """Nodes matching every filter given, in the order they were added."""
        wanted_tags = frozenset(tags or ())
        return [
            node
            for node in self.nodes
            if (name is None or node.name == name)
            and (slug is None or node.slug == slug)
            and wanted_tags <= node.tags
            and (task_type is None or isinstance(node.task, task_type))
        ]

    def sorted_tasks(self) -> list[Node]:
        """Nodes in an order where every node comes after its upstream nodes."""
        from proctor.core.validation import topological_order

        return topological_order(self)

    def validate(self) -> None:
        """Raise FlowDefinitionError naming the tasks at fault (cycles, missing inputs)."""
        from proctor.core.validation import validate_flow

        validate_flow(self)

    # -- parameters -----------------------------------------------------------------------

    def parameter_tasks(self) -> list[Parameter]:
        return [node.task for node in self.parameters.values()]  # type: ignore[misc]

    def validate_parameters(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """Check given values against the parameters; fill defaults; name every problem."""
        given = dict(given or {})
        unknown = sorted(given.keys() - self.parameters.keys())
        if unknown:
            known = ", ".join(sorted(self.parameters)) or "none"
            raise ParameterError(
                f"Flow {self.name!r} has no parameter(s) {', '.join(unknown)}; "
                f"its parameters: {known}."
            )
        values: dict[str, Any] = {}
        missing: list[str] = []
        for name, node in self.parameters.items():
            parameter: Parameter = node.task  # type: ignore[assignment]
            if name in given:
                values[name] = parameter.validate(given[name])
            elif parameter.required:
                missing.append(name)
            else:
                values[name] = parameter.default
        if missing:
            raise ParameterError(
                f"Flow {self.name!r} needs a value for required parameter(s) "
                f"{', '.join(missing)}: pass parameters={{...}}."
            )
        return values

    # -- running and describing -----------------------------------------------------------

    def run(
        self,
        parameters: Mapping[str, Any] | None = None,
        *,
        executor: Executor | None = None,
        task_states: Mapping[Any, State] | None = None,
        resume: Iterable[Node | Task | str] | None = None,
        observers: Iterable[RunObserver] = (),
        flow_run_id: str | None = None,
        run_on_schedule: bool | None = None,
        **parameter_values: Any,
    ) -> State:
        """Run the flow here and now; returns the flow run's final state.

        `state.result` maps every node to its task run's final state. Known parameter names
        may be passed as keywords. `task_states` (e.g. a previous run's `state.result`)
        reuses finished states instead of running those tasks again; `resume` approves
        paused tasks.
        """
        from proctor.core.runner.flow_runner import FlowRunner

        if run_on_schedule and self.schedule is not None:
            raise FlowDefinitionError(
                f"flow.run(run_on_schedule=True): Proctor's flow.run() runs flow {self.name!r} "
                "once, now. To run it on its schedule, register it (flow.register(...)) with a "
                "Proctor server and start an agent."
            )
        merged = dict(parameters or {})
        for key, value in parameter_values.items():
            if key not in self.parameters:
                raise ParameterError(
                    f"flow.run() got {key!r}, which is neither a run option nor a parameter "
                    f"of flow {self.name!r} (parameters: {', '.join(self.parameters) or 'none'})."
                )
            merged[key] = value
        runner = FlowRunner(self, executor=executor or self.executor, observers=observers)
        state = runner.run(merged, task_states=task_states, resume=resume, flow_run_id=flow_run_id)
        while isinstance(state, Paused) and isinstance(state.result, dict) and not observers:
            # Paused tasks wait for approval: ask at the terminal, as 1.x's flow.run() did.
            from proctor.core.runner.approval import ask_to_resume, paused_tasks, someone_can_answer

            if not someone_can_answer():
                break
            approved = ask_to_resume(paused_tasks(state.result))
            if approved is None:
                break  # nobody to ask: the caller gets the Paused state
            if approved:
                state = runner.run(
                    merged, task_states=state.result, resume=approved, flow_run_id=flow_run_id
                )
        return state

    def serialize(self) -> FlowSpec:
        """A JSON-serialisable description of the flow: what the server stores."""
        from proctor.core.spec import serialize_flow

        return serialize_flow(self)

    def retry_delay_for(self, attempt: int) -> float:
        """Seconds to wait before flow-level retry number `attempt` (1 for the first)."""
        configured = self.retry_delay
        if not callable(configured):
            return configured
        chosen = configured(attempt)
        return chosen.total_seconds() if isinstance(chosen, timedelta) else float(chosen)

    def register(
        self,
        project: str | None = None,
        *,
        labels: Iterable[str] | None = None,
        storage: Storage | None = None,
        archive_previous: bool = True,
        create_project: bool = True,
        api_url: str | None = None,
        project_name: str | None = None,
        idempotency_key: str | None = None,
        set_schedule_active: bool = True,
        **ignored: Any,
    ) -> Registration:
        """Send this flow's description and where its code lives to the Proctor server.

        Only metadata travels: `serialize()` and the storage reference, never code.
        `storage` defaults to the flow's own, else `Local(<the file that defined the
        flow>)`, which an agent on this machine can load; `Docker` storage first builds
        the flow into an image (and pushes it) and names that image in the run config.
        Labels are added to the flow's own; agents run the flow only if they carry every
        label. Returns the server's
        answer: `.flow` (its `.version`), `.status` ("new", or "unchanged" when an
        identical flow was registered before) and `.archived` (the versions it replaced).

        1.x spellings: `project_name=` is `project=`; `idempotency_key=` is accepted and
        not needed (an identical flow is recognised by its content and comes back
        "unchanged"); `set_schedule_active=False` turns the schedule off; the labels of a
        run config (`flow.run_config = LocalRun(labels=[...])`) are added to the flow's;
        other 1.x options (`build=`, `no_url=`) have nothing to do here and are ignored.
        """
        from proctor.core.storage import Local

        project = project or project_name
        if not project:
            raise FlowDefinitionError(
                f"flow.register() needs the project to register {self.name!r} in: "
                "flow.register(project='etl') (1.x: project_name='etl')."
            )

        chosen = storage or self.storage
        if chosen is None:
            if self.source_file is None:
                raise FlowDefinitionError(
                    f"Flow {self.name!r} was not defined in a file (an interactive session?), "
                    "so there is no file for an agent to load: pass storage=Module(...), "
                    "Git(...) or Remote(...)."
                )
            chosen = Local(self.source_file)
        if self.schedule is not None:
            # A clock that can never fire is refused here, before anything is sent.
            self.schedule.check_can_fire()
        # Docker storage builds (and pushes) the flow's image here, before anything is sent.
        chosen = chosen.build(self)
        reference = chosen.to_dict()
        spec: dict[str, Any] = dict(self.serialize())
        spec["storage"] = reference
        spec["run_config"] = chosen.run_config_for(spec.get("run_config") or {})
        run_config_labels = self.run_config.get("labels") if self.run_config else None
        wanted = sorted(set(self.labels) | set(labels or ()) | set(run_config_labels or ()))
        # Sending is the client's job: it is reached through the hook it installs.
        return register_flow(
            RegistrationRequest(
                project=project,
                spec=spec,
                storage=reference,
                labels=wanted,
                archive_previous=archive_previous,
                create_project=create_project,
                api_url=api_url,
                schedule_active=set_schedule_active or self.schedule is None,
            )
        )

    def visualize(
        self,
        format: str | State | None = "mermaid",
        filename: str | None = None,
        *,
        flow_state: State | None = None,
        horizontal: bool = False,
    ) -> str:
        """The graph as Mermaid or DOT text; with `filename` ending .png, also a picture.

        1.x's `visualize(flow_state=, filename=, format="png")` draws a picture with
        graphviz, each task coloured by its state (see `proctor.core.visualize`).
        """
        from proctor.core.visualize import visualize_flow

        if isinstance(format, State):  # 1.x's first positional argument is the flow state
            flow_state, format = format, None
        return visualize_flow(
            self, format=format, filename=filename, flow_state=flow_state, horizontal=horizontal
        )

    def __repr__(self) -> str:
        return f"<Flow {self.name!r}: {len(self.nodes)} tasks>"


class ParameterNodes(dict[str, Node]):
    """A flow's parameter nodes by name; `flow.parameters()` (1.x) gives the set of them."""

    def __call__(self) -> set[Any]:
        return {node.task for node in self.values()}


def _holds_node(collection: Any) -> bool:
    values = collection.values() if isinstance(collection, dict) else collection
    return any(isinstance(value, Node | Task) for value in values)


@overload
def flow(fn: Callable[..., Any], /) -> Flow: ...


@overload
def flow(fn: None = None, /, **options: Any) -> Callable[[Callable[..., Any]], Flow]: ...


def flow(
    fn: Callable[..., Any] | None = None, /, **options: Any
) -> Flow | Callable[[Callable[..., Any]], Flow]:
    """Build a flow from a function: its body runs once, now, to trace the graph.

    Each argument of the function becomes a typed `Parameter` (annotation = type, default =
    default). Takes every option of `Flow` (name defaults to the function's name).
    """

    def build(function: Callable[..., Any]) -> Flow:
        options.setdefault("description", inspect.getdoc(function))
        built = Flow(options.pop("name", None) or function.__name__, **options)
        signature = inspect.signature(function)
        hints = _annotations(function)
        with built:
            arguments = {}
            for name, param in signature.parameters.items():
                if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                    raise FlowDefinitionError(
                        f"@flow {function.__name__}: *{name} cannot become a parameter; "
                        "name each parameter."
                    )
                default = NO_DEFAULT if param.default is param.empty else param.default
                parameter = Parameter(name, default, type=hints.get(name))
                arguments[name] = built.parameters[parameter.name]
            try:
                function(**arguments)
            except FlowDefinitionError:
                raise
            except Exception as exc:
                raise FlowDefinitionError(
                    f"Building flow {built.name!r} failed: {type(exc).__name__}: {exc}. "
                    "In a @flow body, parameters and task calls are placeholders for values "
                    "known only at run time: compute with them inside tasks."
                ) from exc
        built.__doc__ = function.__doc__
        built.source_file = _real_file(function.__code__.co_filename)
        return built

    if fn is not None:
        return build(fn)
    return build


def _delay_seconds(name: str, value: float | int | timedelta) -> float:
    delay = value.total_seconds() if isinstance(value, timedelta) else value
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise FlowDefinitionError(
            f"Flow {name!r}: retry_delay must be seconds >= 0, a timedelta or a function "
            f"of the attempt number, got {value!r}."
        )
    return float(delay)


def _caller_file() -> str | None:
    """The file of the first frame outside the engine: where `Flow(...)` was called.

    One frame walk per flow built (a few microseconds), so that `register()` knows which
    file an agent must load without the user saying so.
    """
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_ENGINE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    return None if frame is None else _real_file(frame.f_code.co_filename)


def _real_file(filename: str) -> str | None:
    """An absolute path for a real file; None for `<stdin>`, `<string>` and the like."""
    if not filename or filename.startswith("<"):
        return None
    return os.path.abspath(filename)


def _annotations(function: Callable[..., Any]) -> dict[str, Any]:
    import typing

    try:
        return typing.get_type_hints(function)
    except Exception as exc:
        raise FlowDefinitionError(
            f"@flow {getattr(function, '__name__', function)}: cannot read its type "
            f"annotations ({exc})."
        ) from None


__all__ = ["Flow", "flow"]
