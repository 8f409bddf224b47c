"""Run one task run: trigger, target, cache, the call itself, retries, persistence, hooks.

This is the hot path (10,000 mapped children means 10,000 calls), so the common case (no
cache, no target, no timeout, no hooks) does no more than: check upstream skips, evaluate
the trigger, set the context, call the function, and build one `Success`.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from proctor.core import signals
from proctor.core.context import TaskRunContext, current_task_run
from proctor.core.errors import ProctorError
from proctor.core.runner.stdout import capture_stdout
from proctor.core.runner.templates import render
from proctor.core.runner.timeouts import TaskTimeout, TimeoutExpired
from proctor.core.states import (
    Cached,
    Failed,
    Looped,
    Mapped,
    Pending,
    Retrying,
    Running,
    Skipped,
    State,
    Success,
    TimedOut,
    TriggerFailed,
)
from proctor.core.triggers import all_successful

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.executors.base import StartCallback
    from proctor.core.runner.unit import TaskRunUnit
    from proctor.core.task import Task

logger = logging.getLogger("proctor.task_runner")


def run_task(
    unit: TaskRunUnit, flow_context: FlowRunContext, on_start: StartCallback | None = None
) -> State:
    """Run `unit` to the end of this attempt and return its state.

    Never raises for anything the task does: errors become `Failed` (or `Retrying` when
    retries are left), unless the run was started under `raise_on_exception`. A `Retrying`
    state is handed back to the flow runner, which waits and submits the unit again:
    nothing sleeps here. A task that raises LOOP is called again at once, in this call.
    """
    task = unit.task
    upstream = unit.upstream_states
    if upstream and task.skip_on_upstream_skip:
        for state in upstream:
            if type(state) is Skipped or (type(state) is Mapped and _has_skipped(state)):
                return _finish(task, unit, Skipped("An upstream task was skipped"))
    trigger = task.trigger
    if trigger is not all_successful or upstream:
        verdict = _check_trigger(task, trigger, upstream, unit.resumed)
        if verdict is not None:
            return _finish(task, unit, verdict)

    context = TaskRunContext(
        flow_context, task.name, unit.slug, unit.map_index, unit.run_count, task.tags
    )
    state = _attempt(task, unit, context, flow_context, on_start)
    if context.artifacts:
        # What the attempt published travels with its state, from any kind of worker.
        from proctor.core.artifacts import collapse

        state.artifacts = state.artifacts + collapse(context.artifacts)
    return state


def _attempt(
    task: Task,
    unit: TaskRunUnit,
    context: TaskRunContext,
    flow_context: FlowRunContext,
    on_start: StartCallback | None,
) -> State:
    """The attempt itself, with `context` as the task run in progress."""
    token = current_task_run.set(context)
    try:
        if task.task_run_name is not None:
            context.task_run_name = _run_name(task, context, unit.inputs)
        unit.started_at = time.time()
        # The Running state is built only for someone who will see it (the hot path skips it).
        running: State | None = None
        if on_start is not None or task.state_handlers:
            running = Running(created=unit.started_at)
            if on_start is not None:
                on_start(unit, running)
            if task.state_handlers:
                running = _handle(task, unit.previous_state or Pending(), running)
        if task.target is not None or task.cache_for is not None:
            reused = _reuse(task, unit, context, flow_context)
            if reused is not None:
                return _finish(task, unit, reused, running)
        state = _call(task, unit, context, flow_context)
        while type(state) is Looped:
            running = _next_iteration(task, context, running, state)
            state = _call(task, unit, context, flow_context)
        if not task.state_handlers and task.on_failure is None and task.on_success is None:
            return state  # no hooks: the common case skips the call
        return _finish(task, unit, state, running)
    except ProctorError as exc:
        # Templates, result stores and caches report user-fixable problems this way; they
        # fail this task run, never the whole flow run.
        return _finish(task, unit, Failed(str(exc), exc))
    finally:
        current_task_run.reset(token)


def _has_skipped(mapped: Mapped) -> bool:
    # A reduce over a mapped task skips when any child did, as 1.x does.
    return any(type(child) is Skipped for child in mapped.map_states)


def _run_name(task: Task, context: TaskRunContext, inputs: dict[str, Any]) -> str:
    return render(
        task.task_run_name,  # type: ignore[arg-type]
        context,
        inputs,
        what=f"task_run_name of task {task.name!r}",
    )


def _next_iteration(
    task: Task, context: TaskRunContext, running: State | None, looped: State
) -> State | None:
    """After a LOOP: hand the result to the next iteration; handlers see each step."""
    if not task.state_handlers:
        context.loop_count += 1
        context.loop_result = looped.result
        return None
    looped = _handle(task, running or Running(), looped)
    context.loop_count += 1
    context.loop_result = looped.result
    return _handle(task, Pending(), Running())


def _check_trigger(task: Task, trigger: Any, upstream: list[State], resumed: bool) -> State | None:
    try:
        if trigger(upstream):
            return None
        return TriggerFailed(f"Trigger {getattr(trigger, '__name__', trigger)} did not pass")
    except signals.PAUSE as signal:
        return None if resumed else signal.to_state()
    except signals.ProctorSignal as signal:
        return signal.to_state()
    except Exception as exc:
        return TriggerFailed(
            f"Trigger of task {task.name!r} raised {type(exc).__name__}: {exc}", exc
        )


def _call(
    task: Task, unit: TaskRunUnit, context: TaskRunContext, flow_context: FlowRunContext
) -> State:
    try:
        if task.log_stdout:
            with capture_stdout():
                value = _invoke(task, unit.inputs)
        elif task.timeout is None:
            value = task.run(**unit.inputs)  # the common case, without a frame of its own
        else:
            value = _invoke(task, unit.inputs)
    except signals.LOOP as signal:
        count = context.loop_count
        return Looped(
            signal.message or f"Task is looping ({count})", signal.result, loop_count=count
        )
    except signals.RETRY as signal:
        start = signal.start_time if signal.start_time is not None else flow_context.clock.now()
        return Retrying(signal.message, signal.result, start_time=start, run_count=unit.run_count)
    except signals.ProctorSignal as signal:
        return signal.to_state()
    except TimeoutExpired as exc:
        return retry_or_fail(task, unit, TimedOut(str(exc), exc), flow_context.clock.now())
    except TaskTimeout as exc:
        return TimedOut(f"Task {task.name!r} timed out", exc)
    except Exception as exc:
        if flow_context.raise_on_exception:
            raise  # debugging (raise_on_exception): let it leave flow.run()
        failure = Failed(f"{type(exc).__name__}: {exc}", exc)
        state = retry_or_fail(task, unit, failure, flow_context.clock.now())
        where = unit.slug if unit.map_index is None else f"{unit.slug}[{unit.map_index}]"
        if isinstance(state, Retrying):
            logger.warning(
                "Task %s failed, will retry: %s: %s",
                where,
                type(exc).__name__,
                exc,
                extra=_log_extra(context),
            )
        else:
            logger.error(
                "Task %s failed: %s: %s",
                where,
                type(exc).__name__,
                exc,
                exc_info=exc,
                extra=_log_extra(context),
            )
        return state
    return _success(task, unit, context, flow_context, value)


def _invoke(task: Task, inputs: dict[str, Any]) -> Any:
    if task.timeout is None:
        return task.run(**inputs)
    from proctor.core.runner.timeouts import call_with_timeout

    return call_with_timeout(task.run, inputs, task.timeout)


def _success(
    task: Task,
    unit: TaskRunUnit,
    context: TaskRunContext,
    flow_context: FlowRunContext,
    value: Any,
) -> State:
    location = None
    store = unit.result_store
    if store is not None and task.checkpoint is not False:
        if task.target is not None:
            target = render(task.target, context, unit.inputs, what=f"target of {task.name!r}")
            location = store.write_at(target, value)
        else:
            location = store.write(value, **context.template_values())
    if task.cache_for is not None:
        from proctor.core.runner import caching

        caching.save(
            task,
            caching.cache_key(task, context, unit.inputs),
            value,
            unit.inputs,
            flow_context.parameters,
            store,
            location,
        )
        # 1.x reports a run whose result went into the cache as Cached, first run included.
        state: State = Cached(
            result=value, cached_at=time.time(), reused=False, result_location=location
        )
    else:
        state = Success(result=value, result_location=location)
    if location is not None and store is not None:
        state.result_info = store.describe(location)  # for the task-run page
    return state


def _reuse(
    task: Task, unit: TaskRunUnit, context: TaskRunContext, flow_context: FlowRunContext
) -> State | None:
    store = unit.result_store
    if task.target is not None:
        if store is None:
            return None
        target = render(task.target, context, unit.inputs, what=f"target of {task.name!r}")
        if store.exists(target):
            found = Cached(f"Target {target} exists", store.read(target), result_location=target)
            found.result_info = store.describe(target)
            return found
        return None
    from proctor.core.runner import caching

    key = caching.cache_key(task, context, unit.inputs)
    record = caching.lookup(task, key, unit.inputs, flow_context.parameters, store)
    if record is None:
        return None
    return Cached(
        "Reused a cached result",
        record.value,
        cached_at=record.created,
        result_location=record.result_location,
    )


def retry_or_fail(task: Task, unit: TaskRunUnit, failure: State, now: float | None = None) -> State:
    """`Retrying` at the next retry time while retries remain, else `failure` itself.
    `now` is the run's clock reading (epoch seconds; the wall clock when not given)."""
    if unit.run_count > task.retries:
        return failure
    configured = task.retry_delay
    delay: float
    if callable(configured):
        chosen = configured(unit.run_count)
        delay = chosen.total_seconds() if isinstance(chosen, timedelta) else float(chosen)
    else:
        delay = configured
    if task.retry_jitter:
        import random

        delay += random.uniform(0, task.retry_jitter)
    return Retrying(
        f"Retry {unit.run_count} of {task.retries} after: {failure.message}",
        failure.result,
        start_time=(time.time() if now is None else now) + delay,
        run_count=unit.run_count,
        failure=failure,
    )


def _finish(task: Task, unit: TaskRunUnit, state: State, old: State | None = None) -> State:
    """Hooks for the run's last state; `old` is the Running state it leaves (None when it
    never started: then the state it was waiting in)."""
    if task.state_handlers:
        leaving = old or unit.previous_state or Pending()
        failure = state.failure if type(state) is Retrying else None
        if failure is not None:
            # As 1.x: the handlers see the failure first, then the retry; a handler that
            # turns the failure into something else means there is nothing to retry.
            failed = _handle(task, leaving, failure)
            state = _handle(task, failed, state) if isinstance(failed, Failed) else failed
        else:
            state = _handle(task, leaving, state)
    if task.on_failure is not None and isinstance(state, Failed):
        task.on_failure(task, state)
    elif task.on_success is not None and isinstance(state, Success):
        task.on_success(task, state)
    return state


def _handle(task: Task, old: State, new: State) -> State:
    for handler in task.state_handlers:
        replaced = handler(task, old, new)
        if replaced is not None:
            new = replaced
    return new


def _log_extra(context: TaskRunContext) -> dict[str, Any]:
    return {
        "flow_name": context.flow_run.flow_name,
        "flow_run_id": context.flow_run.flow_run_id,
        "task_slug": context.task_slug,
        "map_index": context.map_index,
    }


__all__ = ["retry_or_fail", "run_task"]
