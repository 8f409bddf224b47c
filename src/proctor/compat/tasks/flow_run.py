"""1.x `prefect.tasks.prefect`: start runs of registered flows and wait for them.

`create_flow_run` -> the child's flow run id; `wait_for_flow_run` -> a `FlowRunView` once
it finished; `get_task_run_result` -> a value the child persisted; `StartFlowRun` does the
first two in one task. They talk to the Proctor server (`PROCTOR_API_URL`) through
`proctor.client`, which is imported only when they run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from proctor.compat.backend import FlowRunView
from proctor.compat.errors import not_offered
from proctor.core import signals
from proctor.core.context import get_task_run_context
from proctor.core.logs import get_run_logger
from proctor.core.task import Task, task

if TYPE_CHECKING:
    from proctor.client import Client

_FINISHED = frozenset({"Success", "Failed", "Cancelled", "Finished"})
_POLL_SECONDS = 1.0


def _default_key() -> str | None:
    """The parent task run's identity: a retried or restarted parent finds its child."""
    context = get_task_run_context()
    if context is None:
        return None
    index = "" if context.map_index is None else f"[{context.map_index}]"
    return f"child-of:{context.flow_run.flow_run_id}:{context.task_slug}{index}"


def _start(
    client: Client,
    *,
    flow_id: str | None,
    flow_name: str | None,
    project_name: str | None,
    parameters: Mapping[str, Any] | None,
    labels: Iterable[str] | None,
    run_name: str | None,
    scheduled_start_time: datetime | None,
    idempotency_key: str | None,
    run_config: Any,
    context: Any,
) -> str:
    if run_config is not None:
        raise not_offered(
            "create_flow_run(run_config=...)",
            "a run uses its flow's run config as registered; register a version with the "
            "run config you want",
        )
    if context:
        raise not_offered(
            "create_flow_run(context=...)",
            "pass the values as parameters of the child flow instead",
        )
    if flow_id is None and flow_name is None:
        raise ValueError("create_flow_run needs flow_id or flow_name (with project_name).")
    run = client.create_flow_run(
        flow_id,
        project=None if flow_id else (project_name or None),
        flow_name=None if flow_id else flow_name,
        parameters=dict(parameters or {}),
        labels=None if labels is None else list(labels),
        name=run_name,
        scheduled_start_time=scheduled_start_time,
        idempotency_key=idempotency_key or _default_key(),
    )
    get_run_logger().info("Created flow run %r (%s)", run.name, run.id)
    return run.id


@task(name="create_flow_run")
def create_flow_run(
    flow_id: str | None = None,
    flow_name: str | None = None,
    project_name: str = "",
    parameters: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    labels: Iterable[str] | None = None,
    run_config: Any = None,
    run_name: str | None = None,
    idempotency_key: str | None = None,
    scheduled_start_time: datetime | None = None,
) -> str:
    """Start a run of a registered flow (by id, or by name in a project); returns its id."""
    from proctor.client import Client

    with Client() as client:
        return _start(
            client,
            flow_id=flow_id,
            flow_name=flow_name,
            project_name=project_name,
            parameters=parameters,
            labels=labels,
            run_name=run_name,
            scheduled_start_time=scheduled_start_time,
            idempotency_key=idempotency_key,
            run_config=run_config,
            context=context,
        )


def _wait(
    client: Client, flow_run_id: str, stream_states: bool, max_duration: timedelta | None
) -> FlowRunView:
    logger = get_run_logger()
    deadline = None if max_duration is None else time.monotonic() + max_duration.total_seconds()
    seen: str | None = None
    delay = _POLL_SECONDS
    while True:
        run = client.get_flow_run(flow_run_id)
        if stream_states and run.state != seen:
            logger.info("Flow run %r entered state %s", run.name, run.state)
            seen = run.state
        if run.state in _FINISHED or run.state_type in _FINISHED:
            return FlowRunView.from_flow_run_id(flow_run_id, client)
        if deadline is not None and time.monotonic() > deadline:
            raise signals.FAIL(
                f"Flow run {run.name!r} ({flow_run_id}) did not finish within {max_duration}."
            )
        time.sleep(delay)
        delay = min(delay * 1.2, 10.0)


def _mirror(view: FlowRunView, name: str) -> None:
    """Raise the signal that gives this task the child's final state."""
    if view.state.is_successful():
        return
    message = f"Flow run {view.name!r} of {name} ended {type(view.state).__name__}"
    raise signals.FAIL(f"{message}: {view.state.message or 'no message'}", result=view)


@task(name="wait_for_flow_run")
def wait_for_flow_run(
    flow_run_id: str,
    stream_states: bool = True,
    stream_logs: bool = False,
    raise_final_state: bool = False,
    max_duration: timedelta | None = timedelta(hours=12),
) -> FlowRunView:
    """Wait until the flow run finished; returns a `FlowRunView` of it. With
    `raise_final_state`, this task fails when the child did not succeed."""
    from proctor.client import Client

    with Client() as client:
        view = _wait(client, flow_run_id, stream_states, max_duration)
        if stream_logs:
            logger = get_run_logger()
            for entry in client.list_logs(flow_run_id).items:
                logger.info("[%s] %s", view.name, entry.message)
    if raise_final_state:
        _mirror(view, repr(flow_run_id))
    return view


@task(name="get_task_run_result")
def get_task_run_result(
    flow_run_id: str, task_slug: str, map_index: int = -1, poll_time: int = 5
) -> Any:
    """The value a task run of another flow run persisted (its flow needs a result store)."""
    from proctor.client import Client

    if not task_slug:
        raise ValueError("get_task_run_result needs the task's slug (its name in the flow).")
    with Client() as client:
        while True:
            view = FlowRunView.from_flow_run_id(flow_run_id, client)
            task_run = view.get_task_run(task_slug, map_index)
            if task_run.state.is_finished():
                return task_run.get_result()
            time.sleep(poll_time)


class StartFlowRun(Task):
    """1.x `StartFlowRun(flow_name=..., project_name=..., wait=...)`.

    Returns the child's flow run id. With `wait=True` it waits for the child and fails when
    the child did not succeed.
    """

    def __init__(
        self,
        flow_name: str | None = None,
        project_name: str | None = None,
        parameters: dict[str, Any] | None = None,
        run_config: Any = None,
        labels: Iterable[str] | None = None,
        wait: bool = False,
        run_name: str | None = None,
        scheduled_start_time: datetime | None = None,
        poll_interval: timedelta | None = None,
        create_link_artifact: bool = True,
        **kwargs: Any,
    ) -> None:
        self.flow_name = flow_name
        self.project_name = project_name
        self.parameters = parameters
        self.run_config = run_config
        self.labels = labels
        self.wait = wait
        self.run_name = run_name
        self.scheduled_start_time = scheduled_start_time
        self.poll_interval = poll_interval
        kwargs.setdefault("name", flow_name or "StartFlowRun")
        super().__init__(**kwargs)

    def run(
        self,
        flow_name: str | None = None,
        project_name: str | None = None,
        parameters: dict[str, Any] | None = None,
        labels: Iterable[str] | None = None,
        run_name: str | None = None,
        idempotency_key: str | None = None,
        scheduled_start_time: datetime | None = None,
        flow_id: str | None = None,
    ) -> str:
        from proctor.client import Client

        name = flow_name or self.flow_name
        with Client() as client:
            run_id = _start(
                client,
                flow_id=flow_id,
                flow_name=name,
                project_name=project_name or self.project_name,
                parameters=parameters if parameters is not None else self.parameters,
                labels=labels if labels is not None else self.labels,
                run_name=run_name or self.run_name,
                scheduled_start_time=scheduled_start_time or self.scheduled_start_time,
                idempotency_key=idempotency_key,
                run_config=self.run_config,
                context=None,
            )
            if not self.wait:
                return run_id
            view = _wait(client, run_id, True, None)
        if not view.state.is_successful():
            raise signals.FAIL(
                f"Flow run {view.name!r} of {name!r} ended {type(view.state).__name__}: "
                f"{view.state.message or 'no message'}",
                result=run_id,
            )
        return run_id


class RenameFlowRun(Task):
    """1.x `RenameFlowRun`: not offered (a run's name is set when it is created)."""

    def run(self, flow_run_id: str | None = None, flow_run_name: str | None = None) -> None:
        raise not_offered(
            "prefect.tasks.prefect.RenameFlowRun",
            "name the run when creating it: create_flow_run(run_name=...)",
        )


class CancelFlowRun(Task):
    """Cancel a flow run (this one when no id is given)."""

    def __init__(self, flow_run_id: str | None = None, **kwargs: Any) -> None:
        self.flow_run_id = flow_run_id
        super().__init__(**kwargs)

    def run(self, flow_run_id: str | None = None) -> bool:
        from proctor.client import Client

        target = flow_run_id or self.flow_run_id
        if target is None:
            context = get_task_run_context()
            target = None if context is None else context.flow_run.flow_run_id
        if target is None:
            raise ValueError("CancelFlowRun needs a flow_run_id outside a flow run.")
        with Client() as client:
            client.cancel_flow_run(target)
        return True


__all__ = [
    "CancelFlowRun",
    "RenameFlowRun",
    "StartFlowRun",
    "create_flow_run",
    "get_task_run_result",
    "wait_for_flow_run",
]
