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

_PENDING = Pending()


def run_task(
    unit: TaskRunUnit, flow_context: FlowRunContext, on_start: StartCallback | None = None
) -> State:
    """Run `unit` to the end of this attempt and return its state.

    Never raises for anything the task does: errors become `Failed` (or `Retrying` when
    retries are left). A `Retrying` state is handed back to the flow runner, which waits
    and submits the unit again: nothing sleeps here.
    """
    task = unit.task
    upstream = unit.upstream_states
    if upstream and task.skip_on_upstream_skip:
        for state in upstream:
            if type(state) is Skipped:
                return _finish(task, Skipped("An upstream task was skipped"))
    trigger = task.trigger
    if trigger is not all_successful or upstream:
        verdict = _check_trigger(task, trigger, upstream, unit.resumed)
        if verdict is not None:
            return _finish(task, verdict)

    context = TaskRunContext(
        flow_context, task.name, unit.slug, unit.map_index, unit.run_count, task.tags
    )
    token = current_task_run.set(context)
    try:
        unit.started_at = time.time()
        if on_start is not None:
            on_start(unit, Running(created=unit.started_at))
        if task.state_handlers:
            _handle(task, _PENDING, Running())
        if task.target is not None or task.cache_for is not None:
            reused = _reuse(task, unit, context, flow_context)
            if reused is not None:
                return _finish(task, reused)
        return _finish(task, _call(task, unit, context, flow_context))
    except ProctorError as exc:
        # Templates, result stores and caches report user-fixable problems this way; they
        # fail this task run, never the whole flow run.
        return _finish(task, Failed(str(exc), exc))
    finally:
        current_task_run.reset(token)


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
        else:
            value = _invoke(task, unit.inputs)
    except signals.RETRY as signal:
        start = signal.start_time if signal.start_time is not None else time.time()
        return Retrying(signal.message, signal.result, start_time=start, run_count=unit.run_count)
    except signals.ProctorSignal as signal:
        return signal.to_state()
    except TimeoutExpired as exc:
        return retry_or_fail(task, unit, TimedOut(str(exc), exc))
    except TaskTimeout as exc:
        return TimedOut(f"Task {task.name!r} timed out", exc)
    except Exception as exc:
        state = retry_or_fail(task, unit, Failed(f"{type(exc).__name__}: {exc}", exc))
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
    return Success(result=value, result_location=location)


def _reuse(
    task: Task, unit: TaskRunUnit, context: TaskRunContext, flow_context: FlowRunContext
) -> State | None:
    store = unit.result_store
    if task.target is not None:
        if store is None:
            return None
        target = render(task.target, context, unit.inputs, what=f"target of {task.name!r}")
        if store.exists(target):
            return Cached(f"Target {target} exists", store.read(target), result_location=target)
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


def retry_or_fail(task: Task, unit: TaskRunUnit, failure: State) -> State:
    """`Retrying` at the next retry time while retries remain, else `failure` itself."""
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
        start_time=time.time() + delay,
        run_count=unit.run_count,
    )


def _finish(task: Task, state: State) -> State:
    if task.state_handlers:
        state = _handle(task, Running(), state)
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
