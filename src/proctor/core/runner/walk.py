"""The walk over a flow run's graph: what runs next, decided without waiting.

`Walk` is a state machine fed with events (a task run finished, the run was cancelled)
and asked for its next decision at a given time (`step(now)`): `Submit` these task runs,
`Wait` for a task run to finish (or until a time, when a retry is due), `Requeue` the run
for a far-away retry, or `DONE`. It never reads a clock, sleeps or touches the executor
or the gate; `proctor.core.runner.loop.drive` does that, on an injected `Clock`. What the
walk tells observers (task run states as they change) is its only other output. Read a
decision before the next step: the walk refills one `Submit` (no allocation per step).

A node becomes ready when its last upstream node finishes; a mapped node expands into one
child per element once its inputs are known; retries wait in a heap until their start
time.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from proctor.core.graph import Node
from proctor.core.observers import RunObserver, TaskRunChange
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
    from proctor.core.context import FlowRunContext
    from proctor.core.runner.plan import Plan


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


def _flatten_one(value: Any) -> list[Any]:
    return [item for inner in value for item in inner]


class _Fan:
    """What a mapped node's children are built from, gathered before any is made."""

    __slots__ = ("child_states", "fixed", "lengths", "mapped_positions", "values", "whole_states")

    def __init__(self, fixed: dict[str, Any]) -> None:
        self.fixed = fixed
        # Per mapped input, its column of values; per mapped upstream, its child states.
        self.values: dict[str, list[Any]] = {}
        self.child_states: list[list[State]] = []
        self.whole_states: list[State] = []
        self.lengths: list[int] = []
        self.mapped_positions: set[int] = set()


class _Unmappable(Exception):  # control flow inside the walk, never raised out of it
    """A mapped node cannot expand; `state` is how it ends instead."""

    def __init__(self, state: State) -> None:
        super().__init__(state.message)
        self.state = state


# -- decisions --------------------------------------------------------------------------


class Submit:
    """Hand these task runs over (through the gate, if any, then to the executor), then
    wait as `Wait(until)` would: something is in flight now, so that is always next."""

    __slots__ = ("units", "until")

    def __init__(self, units: list[TaskRunUnit], until: float | None) -> None:
        self.units = units
        self.until = until

    def __repr__(self) -> str:
        return f"Submit({self.units!r}, until={self.until!r})"


class Wait:
    """Wait for a task run to finish (or the gate to admit one); with `until`, not past
    that time, when a retry is due then."""

    __slots__ = ("until",)

    def __init__(self, until: float | None) -> None:
        self.until = until

    def __repr__(self) -> str:
        return f"Wait(until={self.until!r})"


class Requeue:
    """Stop here: the only work left is a retry due at `at`, further away than the run may
    wait in process. The final state is `Scheduled` for that time."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at

    def __repr__(self) -> str:
        return f"Requeue(at={self.at!r})"


class Done:
    """Nothing is left to run or wait for."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DONE"


DONE: Final = Done()
#: The common wait (no retry due), made once: the hot path allocates no decision for it.
WAIT_FOR_WORK: Final = Wait(None)

Decision = Submit | Wait | Requeue | Done


class Walk:
    """One attempt of a flow run over its plan: node states, counters, the ready queue
    and the retry heap (the module docstring lists its decisions and events).

    `reports_start` says whether the executor reports each task run's start itself (else
    the walk reports it once the run completed, from its `started_at`)."""

    def __init__(
        self,
        plan: Plan,
        context: FlowRunContext,
        observers: list[RunObserver],
        *,
        reports_start: bool = True,
        max_retry_wait: float | None = None,
        prior: dict[int, State] | None = None,
        resumed: set[int] | None = None,
    ) -> None:
        self.plan = plan
        self.context = context
        self.observers = observers
        self.reports_start = reports_start
        self.max_retry_wait = max_retry_wait
        self.prior: dict[int, State] = prior or {}
        self.resumed: set[int] = resumed or set()
        size = len(plan.nodes)
        self.states: list[State | None] = [None] * size
        self.remaining = list(plan.upstream_count)
        self.children: dict[int, list[State | None]] = {}
        self.children_left: dict[int, int] = {}
        # (start time, tie-breaker, unit, its Retrying state), earliest first.
        self.retries: list[tuple[float, int, TaskRunUnit, State]] = []
        self.sequence = itertools.count()
        self.ready: deque[int] = deque(i for i in range(size) if self.remaining[i] == 0)
        # Task runs handed out by `Submit` and not completed yet (at the gate or running).
        self.outstanding = 0
        self.cancelled = False
        # Set when the walk stopped early to wait for a retry that is far away.
        self.requeue_at: float | None = None
        # The time of the step in progress (for retries an earlier process scheduled).
        self._now = 0.0
        # The one Submit decision, refilled by each step that hands work out: a chain
        # hands out one task run per step, and an allocation each would show in its cost.
        self._submit = Submit([], None)

    # -- decisions ------------------------------------------------------------------------

    def step(self, now: float) -> Decision:
        """The next thing to do at time `now`: ready task runs first, then waits."""
        self._now = now
        ready, retries = self.ready, self.retries
        batch: list[TaskRunUnit] = []
        while ready:
            self._dispatch(ready.popleft(), batch)
        while retries and retries[0][0] <= now:
            batch.append(heapq.heappop(retries)[2])
        if batch:
            self.outstanding += len(batch)
            submit = self._submit
            submit.units = batch
            submit.until = retries[0][0] if retries else None
            return submit
        if self.outstanding:
            return Wait(retries[0][0]) if retries else WAIT_FOR_WORK
        if retries:
            at = retries[0][0]
            if self.max_retry_wait is not None and at - now > self.max_retry_wait:
                self.requeue_at = at
                return Requeue(at)
            return Wait(at)
        return DONE

    # -- events ---------------------------------------------------------------------------

    def completed(self, unit: TaskRunUnit, state: State) -> None:
        """A task run handed out by `Submit` ended this attempt in `state`."""
        self.outstanding -= 1
        if self.observers and not self.reports_start and unit.started_at:
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
            self._finish_node(unit.index, state, False)
        else:
            self._record_child(unit.index, unit.map_index, state)

    def started(self, unit: TaskRunUnit, state: State) -> None:
        """The executor started a task run (for executors that report starts)."""
        self._emit(unit, state)

    def handed_over(self, units: list[TaskRunUnit]) -> None:
        """These task runs went to the executor (the gate, if any, let them through)."""
        if self.observers and not self.reports_start:
            for unit in units:
                self._emit(unit, Submitted())

    def queued(self, unit: TaskRunUnit, message: str) -> None:
        """The gate holds this task run back until a concurrency slot is free."""
        if self.observers:
            self._emit(unit, Queued(message))

    def cancel(self) -> None:
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

    # -- the graph ------------------------------------------------------------------------

    def _dispatch(self, index: int, batch: list[TaskRunUnit]) -> None:
        plan = self.plan
        prior = self.prior.get(index) if self.prior else None
        if prior is not None and prior.is_successful() and not plan.mapped[index]:
            self._finish_node(index, prior)
            return
        name = plan.parameter_names[index]
        if name is not None:
            self._finish_node(index, Success(result=self.context.parameters[name]))
            return
        states = self.states
        upstream = [states[position] for position in plan.upstream[index]]
        if plan.mapped[index]:
            self._expand(index, upstream, batch)  # type: ignore[arg-type]
            return
        inputs = dict(plan.constants[index])
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
        if prior is not None and isinstance(prior, Retrying):
            self._carry_on(unit, prior, batch)
        else:
            batch.append(unit)

    def _carry_on(self, unit: TaskRunUnit, retrying: Retrying, batch: list[TaskRunUnit]) -> None:
        """Continue a retry an earlier process scheduled: same attempt count, same time."""
        unit.run_count = retrying.run_count + 1
        unit.previous_state = retrying
        start = retrying.start_time or 0.0
        if start > self._now:
            heapq.heappush(self.retries, (start, next(self.sequence), unit, retrying))
        else:
            batch.append(unit)

    def _expand(self, index: int, upstream: list[State], batch: list[TaskRunUnit]) -> None:
        """Turn a mapped node into one task run per element of its mapped inputs."""
        fan = _Fan(dict(self.plan.constants[index]))
        try:
            self._map_inputs(index, fan)
            self._map_upstream(index, fan)
        except _Unmappable as problem:
            self._finish_node(index, problem.state)
            return
        states = self.states
        for position in self.plan.upstream[index]:
            if position not in fan.mapped_positions:
                fan.whole_states.append(states[position])  # type: ignore[arg-type]
        count = min(fan.lengths, default=0)
        self.children[index] = [None] * count
        self.children_left[index] = count
        self._emit_node(index, Running(f"Mapped into {count} task runs"), count)
        if count == 0:
            self._finish_node(index, Mapped("No elements to map over", [], map_states=[]))
            return
        self._spawn(index, count, fan, batch)

    def _map_inputs(self, index: int, fan: _Fan) -> None:
        """The node's inputs: fixed ones, and columns of per-child values."""
        plan = self.plan
        task = plan.tasks[index]
        states = self.states
        for key, value in plan.mapped_constants[index].items():
            fan.values[key] = list(value)
        inputs = plan.inputs[index]
        fan.mapped_positions.update(position for _, position, mapped, _ in inputs if mapped)
        for key, position, mapped, flat in inputs:
            state: State = states[position]  # type: ignore[assignment]
            if not mapped:
                fan.fixed[key] = _flatten_one(state.result) if flat else state.result
                continue
            self._check_mappable(task, key, position, state)
            value = _flatten_one(state.result) if flat else state.result
            try:
                fan.values[key] = list(value)
            except TypeError:
                raise _Unmappable(
                    Failed(
                        f"Task {task.name!r} maps over {key!r}, but {plan.slugs[position]!r} "
                        f"returned {type(value).__name__}, which is not a list."
                    )
                ) from None
            if isinstance(state, Mapped) and not flat:
                fan.child_states.append(state.map_states)
        fan.lengths = [len(values) for values in fan.values.values()]

    def _map_upstream(self, index: int, fan: _Fan) -> None:
        """Upstream tasks mapped over without passing data (`upstream_tasks=`)."""
        plan = self.plan
        task = plan.tasks[index]
        for position in plan.mapped_order[index]:
            state: State = self.states[position]  # type: ignore[assignment]
            self._check_mappable(task, "upstream_tasks", position, state)
            fan.mapped_positions.add(position)
            if isinstance(state, Mapped):
                fan.child_states.append(state.map_states)
                fan.lengths.append(len(state.map_states))
                continue
            try:
                size = len(state.result)
            except TypeError:
                raise _Unmappable(
                    Failed(
                        f"Task {task.name!r} maps over upstream task {plan.slugs[position]!r}, "
                        f"which returned {type(state.result).__name__}, not a list."
                    )
                ) from None
            fan.child_states.append([state] * size)
            fan.lengths.append(size)

    def _spawn(self, index: int, count: int, fan: _Fan, batch: list[TaskRunUnit]) -> None:
        """One task run per child (the hot loop of a large map), except children an
        earlier attempt finished."""
        plan = self.plan
        task = plan.tasks[index]
        prior = self.prior.get(index)
        prior_children = prior.map_states if isinstance(prior, Mapped) else []
        resumed = index in self.resumed
        store = plan.result_stores[index]
        slug = plan.slugs[index]
        fixed, per_child_states, whole_states = fan.fixed, fan.child_states, fan.whole_states
        keys = list(fan.values)
        columns = [fan.values[key] for key in keys]
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

    def _check_mappable(self, task: Task, key: str, position: int, state: State) -> None:
        if isinstance(state, Skipped) and task.skip_on_upstream_skip:
            raise _Unmappable(Skipped(f"Upstream {self.plan.slugs[position]!r} was skipped"))
        if not state.is_successful() and not isinstance(state, Mapped):
            raise _Unmappable(
                TriggerFailed(
                    f"Cannot map over {key!r}: upstream {self.plan.slugs[position]!r} "
                    f"is {state.name}"
                )
            )

    # -- results --------------------------------------------------------------------------

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

    def _finish_node(self, index: int, state: State, emit: bool = True) -> None:
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

    # -- observers ------------------------------------------------------------------------

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


__all__ = ["DONE", "Decision", "Done", "NodeStates", "Requeue", "Submit", "Wait", "Walk"]
