"""The flow runner: runs a flow run from its first task to its final state.

What runs next is decided by a pure `Walk` over the graph (`walk.py`), driven by a small
loop (`loop.py`) that does all the waiting on the run's `Clock`. The executor only runs
what it is given and hands back finished task runs. Here: parameters, prior states,
flow-level retries and the flow's own state handlers.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from proctor.core.clock import REAL_CLOCK, Clock
from proctor.core.context import FlowRunContext
from proctor.core.graph import Node
from proctor.core.logs import configure_default_logging
from proctor.core.observers import RunObserver
from proctor.core.runner.loop import drive
from proctor.core.runner.plan import Plan, compile_plan
from proctor.core.runner.walk import NodeStates, Walk
from proctor.core.states import (
    Cancelled,
    Failed,
    Mapped,
    Pending,
    Retrying,
    Running,
    State,
    Success,
)

if TYPE_CHECKING:
    from proctor.core.concurrency_limits import TaskGate
    from proctor.core.executors.base import Executor
    from proctor.core.flow import Flow

logger = logging.getLogger("proctor.flow_runner")


class FlowRunner:
    """Runs one flow run to its end. `cancel()` may be called from another thread.

    `max_retry_wait` (seconds) is for runs that can be re-queued, such as an agent's run
    process: when the only work left is a task retry due further away than that, the
    runner stops and returns a `Scheduled` state whose `start_time` is when to carry on,
    instead of holding a process for hours; and a flow-level retry always returns a
    `Retrying` state for its time, so that each attempt of the flow is a start of its own
    (the server counts them). With None (the default) every retry waits in process.

    `gate` (a `proctor.core.concurrency_limits.TaskGate`) holds back task runs of the
    tasks it applies to until it admits them (concurrency limits per tag); they are
    reported `Queued` meanwhile. Without one (the default) tags are never looked at.

    `clock` (a `proctor.core.clock.Clock`) is where the run reads the time and waits:
    retry times, flow retry delays. Tests pass a `FakeClock` to run them without waiting.
    """

    def __init__(
        self,
        flow: Flow,
        *,
        executor: Executor | None = None,
        observers: Iterable[RunObserver] = (),
        max_retry_wait: float | None = None,
        gate: TaskGate | None = None,
        clock: Clock = REAL_CLOCK,
    ) -> None:
        self.flow = flow
        self.gate = gate
        self.clock = clock
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
            clock=self.clock,
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
            walk = Walk(
                plan,
                context,
                self.observers,
                reports_start=self.executor.reports_start,
                max_retry_wait=self.max_retry_wait,
                prior=prior,
                resumed=resumed,
            )
            try:
                drive(walk, self.executor, self.clock, self._cancel, self.gate)
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
                    start_time=self.clock.now() + delay,
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
            if self.clock.sleep_until(self.clock.now() + delay, self._cancel):
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


def _terminal(flow: Flow, final: State, walk: Walk) -> State:
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


__all__ = ["FlowRunner", "NodeStates"]
