"""The flow runner: walks a flow's graph and hands ready task runs to an executor.

What runs next is decided here, in memory and without I/O: a node becomes ready when its
last upstream node finishes; a mapped node expands into one child per element once its
inputs are known; retries wait in a heap until their start time. The executor only runs
what it is given and hands back finished task runs.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from proctor.core.context import FlowRunContext
from proctor.core.graph import Node
from proctor.core.logs import configure_default_logging
from proctor.core.observers import RunObserver, TaskRunChange
from proctor.core.runner.plan import Plan, compile_plan
from proctor.core.runner.unit import TaskRunUnit
from proctor.core.states import (
    Cancelled,
    Failed,
    Finished,
    Mapped,
    Paused,
    Pending,
    Queued,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    State,
    Submitted,
    Success,
    TriggerFailed,
)
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.core.executors.base import Executor
    from proctor.core.flow import Flow
    from proctor.core.gates import TaskGate

logger = logging.getLogger("proctor.flow_runner")

#: How often the walk looks at its gate while task runs wait there for a slot.
GATE_POLL_SECONDS = 0.05


class NodeStates(dict[Node, State]):
    """A flow run's task states by node; also looked up by slug, or by a task used once."""

    def __missing__(self, key: Any) -> State:
        if isinstance(key, str):
            for node, state in self.items():
                if node.slug == key:
                    return state
        elif isinstance(key, Task):
            found = [state for node, state in self.items() if node.task is key]
            if len(found) == 1:
                return found[0]
            if found:
                raise KeyError(f"Task {key.name!r} ran {len(found)} times; use its node")
        raise KeyError(key)


class FlowRunner:
    """Runs one flow run to its end. `cancel()` may be called from another thread.

    `max_retry_wait` (seconds) is for runs that can be re-queued, such as an agent's run
    process: when the only work left is a task retry due further away than that, the
    runner stops and returns a `Scheduled` state whose `start_time` is when to carry on,
    instead of holding a process for hours; and a flow-level retry always returns a
    `Retrying` state for its time, so that each attempt of the flow is a start of its own
    (the server counts them). With None (the default) every retry waits in process.

    `gate` (a `proctor.core.gates.TaskGate`) holds back task runs of the tasks it applies
    to until it admits them (concurrency limits per tag); they are reported `Queued`
    meanwhile. Without one (the default) tags are never looked at.
    """

    def __init__(
        self,
        flow: Flow,
        *,
        executor: Executor | None = None,
        observers: Iterable[RunObserver] = (),
        max_retry_wait: float | None = None,
        gate: TaskGate | None = None,
    ) -> None:
        self.flow = flow
        self.gate = gate
        if executor is None:
            from proctor.core.executors.local import LocalExecutor

            executor = LocalExecutor()
        self.executor = executor
        self.observers = list(observers)
        self.max_retry_wait = max_retry_wait
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop starting task runs at once; those not started end Cancelled."""
        self._cancel.set()
        # The walk reads the event between batches; the executor holds task runs already
        # handed to it, and must not start them either.
        self.executor.stop_starting()

    def run(
        self,
        parameters: Mapping[str, Any] | None = None,
        *,
        task_states: Mapping[Any, State] | None = None,
        resume: Iterable[Any] | None = None,
        flow_run_id: str | None = None,
        flow_run_name: str | None = None,
        scheduled_start: datetime | None = None,
        run_count: int = 1,
    ) -> State:
        """Run to the end and return the final state.

        `task_states` reuses earlier states (by node, slug or task): successful ones are
        not run again, a `Retrying` one carries on with its attempt count and start time,
        and a `Mapped` one lends its children's states to the same children. `run_count`
        is this flow run's attempt number (1 unless a flow retry re-queued it).
        """
        flow = self.flow
        plan = compile_plan(flow)
        values = flow.validate_parameters(parameters)
        configure_default_logging()
        context = FlowRunContext(
            flow.name,
            flow_run_id or uuid.uuid4().hex,
            values,
            flow_run_name=flow_run_name,
            scheduled_start=scheduled_start,
        )
        prior = _index_states(plan, task_states)
        resumed = {_index_of(plan, item) for item in resume or ()}
        for observer in self.observers:
            observer.flow_run_started(flow, context)
        state: State = Running(f"Flow run {context.flow_run_name} started")
        state = self._enter(context, Pending(), state)
        logger.info("Flow run %s of %r started", context.flow_run_name, flow.name)
        started = time.perf_counter()
        while True:
            walk = _Walk(plan, context, self.executor, self.observers, self._cancel)
            walk.max_retry_wait = self.max_retry_wait
            walk.gate = self.gate
            walk.prior = prior
            walk.resumed = resumed
            try:
                walk.run()
            finally:
                self.executor.shutdown()
                if self.gate is not None:
                    self.gate.close()
            final = walk.final_state()
            if flow.terminal_state_handler is not None and isinstance(final, Success | Failed):
                final = _terminal(flow, final, walk)
            if not (final.is_failed() and run_count <= flow.retries) or self._cancel.is_set():
                break
            delay = flow.retry_delay_for(run_count)
            retry = f"retry {run_count} of {flow.retries}"
            if self.max_retry_wait is not None:
                final = Retrying(
                    f"Flow run failed ({final.message}); {retry} in {delay:g} s",
                    final.result,
                    start_time=time.time() + delay,
                    run_count=run_count,
                )
                break
            logger.warning(
                "Flow run %s of %r failed (%s); %s in %g s",
                context.flow_run_name,
                flow.name,
                final.message,
                retry,
                delay,
            )
            for observer in self.observers:
                observer.flow_run_retrying(context, final)
            if self._cancel.wait(delay):
                final = Cancelled("The flow run was cancelled", final.result)
                break
            prior = _reusable(plan, final.result)
            run_count += 1
        final = self._enter(context, state, final)
        logger.info(
            "Flow run %s of %r finished %s in %.3f s: %s",
            context.flow_run_name,
            flow.name,
            final.name,
            time.perf_counter() - started,
            final.message,
        )
        return final

    def _enter(self, context: FlowRunContext, old: State, new: State) -> State:
        flow = self.flow
        for handler in flow.state_handlers:
            replaced = handler(flow, old, new)
            if replaced is not None:
                new = replaced
        if isinstance(new, Failed) and flow.on_failure is not None:
            flow.on_failure(flow, new)
        elif isinstance(new, Success) and flow.on_success is not None:
            flow.on_success(flow, new)
        for observer in self.observers:
            observer.flow_run_state(context, new)
        return new


def _terminal(flow: Flow, final: State, walk: _Walk) -> State:
    """The flow's `terminal_state_handler` may replace the state its reference tasks gave."""
    reference = {walk.states[index] for index in walk.plan.reference}
    replaced = flow.terminal_state_handler(flow, final, reference)  # type: ignore[misc,arg-type]
    return final if replaced is None else replaced


def _index_of(plan: Plan, item: Any) -> int:
    if isinstance(item, Node):
        return plan.index[item]
    if isinstance(item, str):
        return plan.slugs.index(item)
    matches = [position for position, task in enumerate(plan.tasks) if task is item]
    if len(matches) != 1:
        raise KeyError(f"{item!r} does not name exactly one task of the flow")
    return matches[0]


def _index_states(plan: Plan, task_states: Mapping[Any, State] | None) -> dict[int, State]:
    return {_index_of(plan, key): state for key, state in (task_states or {}).items()}


def _reusable(plan: Plan, results: Mapping[Node, State]) -> dict[int, State]:
    """What a flow retry keeps of the failed attempt: successes, and mapped children."""
    return {
        plan.index[node]: state
        for node, state in results.items()
        if state.is_successful() or isinstance(state, Mapped)
    }


def _flatten_one(value: Any) -> list[Any]:
    return [item for inner in value for item in inner]


class _Walk:
    """The mutable part of one run: states, counters, queues."""

    def __init__(
        self,
        plan: Plan,
        context: FlowRunContext,
        executor: Executor,
        observers: list[RunObserver],
        cancel: threading.Event,
    ) -> None:
        self.plan = plan
        self.context = context
        self.executor = executor
        self.observers = observers
        self.cancel = cancel
        size = len(plan.nodes)
        self.states: list[State | None] = [None] * size
        self.remaining = list(plan.upstream_count)
        self.children: dict[int, list[State | None]] = {}
        self.children_left: dict[int, int] = {}
        self.prior: dict[int, State] = {}
        self.resumed: set[int] = set()
        # (start time, tie-breaker, unit, its Retrying state), earliest first.
        self.retries: list[tuple[float, int, TaskRunUnit, State]] = []
        self.sequence = itertools.count()
        self.ready: deque[int] = deque(i for i in range(size) if self.remaining[i] == 0)
        self.cancelled = False
        self.max_retry_wait: float | None = None
        self.gate: TaskGate | None = None
        # Set when the walk stopped early to wait for a retry that is far away.
        self.requeue_at: float | None = None

    # -- the loop -------------------------------------------------------------------------

    def run(self) -> None:
        executor = self.executor
        observers = self.observers
        executor.start(self.context, self._started if observers else None)
        ready, retries, cancel, gate = self.ready, self.retries, self.cancel, self.gate
        while True:
            if cancel.is_set():
                self._cancel_all()
                return
            batch: list[TaskRunUnit] = []
            while ready:
                self._dispatch(ready.popleft(), batch)
            if retries and retries[0][0] <= time.time():
                while retries and retries[0][0] <= time.time():
                    batch.append(heapq.heappop(retries)[2])
            if gate is not None and (batch or gate.waiting):
                batch = self._admit(batch, 0.0)
            if batch:
                self._submit(batch)
            # Task runs waiting for a slot are looked at again every GATE_POLL_SECONDS.
            patience = GATE_POLL_SECONDS if gate is not None and gate.waiting else 0.5
            if executor.in_flight:
                wait = patience
                if retries:
                    wait = min(wait, max(0.0, retries[0][0] - time.time()))
                for unit, state in executor.completed(wait):
                    self._completed(unit, state)
            elif retries:
                if not ready:
                    wait = retries[0][0] - time.time()
                    if (
                        self.max_retry_wait is not None
                        and wait > self.max_retry_wait
                        and not (gate is not None and gate.waiting)
                    ):
                        self.requeue_at = retries[0][0]
                        return
                    time.sleep(min(patience, max(0.0, wait)))
            elif gate is not None and gate.waiting:
                # Only held-back task runs are left: wait for the gate to admit some.
                admitted = self._admit([], 0.5)
                if admitted:
                    self._submit(admitted)
            elif not ready:
                return

    def _submit(self, batch: list[TaskRunUnit]) -> None:
        if self.observers and not self.executor.reports_start:
            for unit in batch:
                self._emit(unit, Submitted())
        self.executor.submit(batch)

    def _admit(self, batch: list[TaskRunUnit], timeout: float) -> list[TaskRunUnit]:
        """What of `batch` may start now, plus task runs the gate admitted meanwhile;
        the gate keeps the rest, which are reported Queued."""
        gate = self.gate
        assert gate is not None
        passing: list[TaskRunUnit] = []
        held: list[TaskRunUnit] = []
        for unit in batch:
            (held if gate.applies_to(unit.task) else passing).append(unit)
        if held:
            gate.request(held)
        granted, queued = gate.poll(timeout)
        if self.observers:
            for unit, message in queued:
                self._emit(unit, Queued(message))
        passing.extend(granted)
        return passing

    def _dispatch(self, index: int, batch: list[TaskRunUnit]) -> None:
        plan = self.plan
        prior = self.prior.get(index)
        if prior is not None and prior.is_successful() and not plan.mapped[index]:
            self._finish_node(index, prior)
            return
        name = plan.parameter_names[index]
        if name is not None:
            self._finish_node(index, Success(result=self.context.parameters[name]))
            return
        upstream = [self.states[position] for position in plan.upstream[index]]
        if plan.mapped[index]:
            self._expand(index, upstream, batch)  # type: ignore[arg-type]
            return
        inputs = dict(plan.constants[index])
        states = self.states
        for key, position, _mapped, flat in plan.inputs[index]:
            value = states[position].result  # type: ignore[union-attr]
            inputs[key] = _flatten_one(value) if flat and value is not None else value
        unit = TaskRunUnit(
            index,
            plan.tasks[index],
            plan.slugs[index],
            inputs,
            upstream,  # type: ignore[arg-type]
            resumed=index in self.resumed,
            result_store=plan.result_stores[index],
        )
        if isinstance(prior, Retrying):
            self._carry_on(unit, prior, batch)
        else:
            batch.append(unit)

    def _carry_on(self, unit: TaskRunUnit, retrying: Retrying, batch: list[TaskRunUnit]) -> None:
        """Continue a retry an earlier process scheduled: same attempt count, same time."""
        unit.run_count = retrying.run_count + 1
        unit.previous_state = retrying
        start = retrying.start_time or 0.0
        if start > time.time():
            heapq.heappush(self.retries, (start, next(self.sequence), unit, retrying))
        else:
            batch.append(unit)

    def _expand(self, index: int, upstream: list[State], batch: list[TaskRunUnit]) -> None:
        """Turn a mapped node into one task run per element of its mapped inputs."""
        plan = self.plan
        task = plan.tasks[index]
        states = self.states
        fixed = dict(plan.constants[index])
        per_child_values: dict[str, list[Any]] = {}
        per_child_states: list[list[State]] = []
        whole_states: list[State] = []
        for key, value in plan.mapped_constants[index].items():
            per_child_values[key] = list(value)
        mapped_positions = {position for _, position, mapped, _ in plan.inputs[index] if mapped}
        for key, position, mapped, flat in plan.inputs[index]:
            state: State = states[position]  # type: ignore[assignment]
            if not mapped:
                fixed[key] = _flatten_one(state.result) if flat else state.result
                continue
            problem = self._unmappable(task, key, position, state)
            if problem is not None:
                self._finish_node(index, problem)
                return
            value = _flatten_one(state.result) if flat else state.result
            try:
                per_child_values[key] = list(value)
            except TypeError:
                self._finish_node(
                    index,
                    Failed(
                        f"Task {task.name!r} maps over {key!r}, but {plan.slugs[position]!r} "
                        f"returned {type(value).__name__}, which is not a list."
                    ),
                )
                return
            if isinstance(state, Mapped) and not flat:
                per_child_states.append(state.map_states)
        lengths = [len(values) for values in per_child_values.values()]
        for position in plan.mapped_order[index]:
            state = states[position]  # type: ignore[assignment]
            problem = self._unmappable(task, "upstream_tasks", position, state)
            if problem is not None:
                self._finish_node(index, problem)
                return
            mapped_positions.add(position)
            if isinstance(state, Mapped):
                per_child_states.append(state.map_states)
                lengths.append(len(state.map_states))
                continue
            try:
                size = len(state.result)
            except TypeError:
                self._finish_node(
                    index,
                    Failed(
                        f"Task {task.name!r} maps over upstream task {plan.slugs[position]!r}, "
                        f"which returned {type(state.result).__name__}, not a list."
                    ),
                )
                return
            per_child_states.append([state] * size)
            lengths.append(size)
        for position in plan.upstream[index]:
            if position not in mapped_positions:
                whole_states.append(states[position])  # type: ignore[arg-type]
        count = min(lengths, default=0)
        self.children[index] = [None] * count
        self.children_left[index] = count
        self._emit_node(index, Running(f"Mapped into {count} task runs"), count)
        if count == 0:
            self._finish_node(index, Mapped("No elements to map over", [], map_states=[]))
            return
        prior = self.prior.get(index)
        prior_children = prior.map_states if isinstance(prior, Mapped) else []
        resumed = index in self.resumed
        store = plan.result_stores[index]
        slug = plan.slugs[index]
        keys = list(per_child_values)
        columns = [per_child_values[key] for key in keys]
        for child in range(count):
            earlier = prior_children[child] if child < len(prior_children) else None
            if earlier is not None and earlier.is_successful():
                self._record_child(index, child, earlier)
                continue
            inputs = dict(fixed)
            for key, column in zip(keys, columns, strict=True):
                inputs[key] = column[child]
            child_upstream = [child_states[child] for child_states in per_child_states]
            if whole_states:
                child_upstream.extend(whole_states)
            unit = TaskRunUnit(
                index,
                task,
                slug,
                inputs,
                child_upstream,
                child,
                resumed=resumed,
                result_store=store,
            )
            if isinstance(earlier, Retrying):
                self._carry_on(unit, earlier, batch)
            else:
                batch.append(unit)

    def _unmappable(self, task: Task, key: str, position: int, state: State) -> State | None:
        if isinstance(state, Skipped) and task.skip_on_upstream_skip:
            return Skipped(f"Upstream {self.plan.slugs[position]!r} was skipped")
        if not state.is_successful() and not isinstance(state, Mapped):
            return TriggerFailed(
                f"Cannot map over {key!r}: upstream {self.plan.slugs[position]!r} is {state.name}"
            )
        return None

    # -- results --------------------------------------------------------------------------

    def _completed(self, unit: TaskRunUnit, state: State) -> None:
        if self.gate is not None:
            self.gate.release(unit, state)
        if self.observers and not self.executor.reports_start and unit.started_at:
            self._emit(unit, Running(created=unit.started_at))
        if type(state) is Retrying:
            unit.run_count += 1
            unit.previous_state = state
            if self.observers:
                self._emit(unit, state)
            heapq.heappush(
                self.retries, (state.start_time or 0.0, next(self.sequence), unit, state)
            )
            return
        if self.observers:
            self._emit(unit, state)
        if unit.map_index is None:
            self._finish_node(unit.index, state, emit=False)
        else:
            self._record_child(unit.index, unit.map_index, state)

    def _record_child(self, index: int, child: int, state: State) -> None:
        children = self.children[index]
        children[child] = state
        left = self.children_left[index] - 1
        self.children_left[index] = left
        if left == 0:
            done: list[State] = children  # type: ignore[assignment]
            failed = sum(1 for item in done if item.is_failed())
            message = f"{len(done)} mapped task runs" + (f", {failed} failed" if failed else "")
            if any(isinstance(item, Paused) for item in done):
                self.states[index] = Paused(message)
                return
            self._finish_node(
                index, Mapped(message, [item.result for item in done], map_states=done)
            )

    def _finish_node(self, index: int, state: State, *, emit: bool = True) -> None:
        self.states[index] = state
        if emit and self.observers:
            self._emit_node(index, state, len(self.children.get(index, ())) or None)
        if not isinstance(state, Finished):
            return  # paused: downstream waits for approval
        remaining = self.remaining
        ready = self.ready
        for position in self.plan.downstream[index]:
            remaining[position] -= 1
            if remaining[position] == 0:
                ready.append(position)

    def _cancel_all(self) -> None:
        """Every unfinished task run ends Cancelled: nodes, and the children of mapped
        nodes that were still running or waiting (observers hear of each)."""
        self.cancelled = True
        observers = self.observers
        plan = self.plan
        for index, children in self.children.items():
            if not self.children_left.get(index) or not observers:
                continue
            slug, name = plan.slugs[index], plan.tasks[index].name
            for child, state in enumerate(children):
                if state is None:
                    change = TaskRunChange(
                        slug, name, child, Cancelled("The flow run was cancelled")
                    )
                    for observer in observers:
                        observer.task_run_state(self.context, change)
        for index, state in enumerate(self.states):
            if state is None or not state.is_finished():
                self.states[index] = Cancelled("The flow run was cancelled")
                if observers:
                    self._emit_node(index, self.states[index])  # type: ignore[arg-type]

    # -- observers ------------------------------------------------------------------------

    def _started(self, unit: TaskRunUnit, state: State) -> None:
        self._emit(unit, state)

    def _emit(self, unit: TaskRunUnit, state: State) -> None:
        change = TaskRunChange(unit.slug, unit.task.name, unit.map_index, state, unit.run_count)
        for observer in self.observers:
            observer.task_run_state(self.context, change)

    def _emit_node(self, index: int, state: State, child_count: int | None = None) -> None:
        if not self.observers:
            return
        plan = self.plan
        change = TaskRunChange(
            plan.slugs[index], plan.tasks[index].name, None, state, 1, child_count
        )
        for observer in self.observers:
            observer.task_run_state(self.context, change)

    # -- the outcome ----------------------------------------------------------------------

    def final_state(self) -> State:
        plan = self.plan
        results = NodeStates()
        waiting = 0
        for node, reached in zip(plan.nodes, self.states, strict=True):
            state = Pending("Waiting for upstream tasks") if reached is None else reached
            if not state.is_finished():
                waiting += 1
            results[node] = state
        if self.cancelled:
            return Cancelled("The flow run was cancelled", results)
        if self.requeue_at is not None:
            for _, _, unit, retrying in self.retries:
                if unit.map_index is None:
                    results[plan.nodes[unit.index]] = retrying
            when = datetime.fromtimestamp(self.requeue_at, UTC).isoformat(timespec="seconds")
            return Scheduled(
                f"Waiting for task retries due at {when}; the run continues then",
                results,
                start_time=self.requeue_at,
            )
        if waiting:
            return Paused(f"{waiting} task(s) wait for approval or their upstream", results)
        failed = [
            plan.slugs[index]
            for index in plan.reference
            if not self.states[index].is_successful()  # type: ignore[union-attr]
        ]
        if failed:
            return Failed(f"Reference task(s) failed: {', '.join(failed)}", results)
        return Success("All reference tasks succeeded", results)


__all__ = ["FlowRunner", "NodeStates"]
