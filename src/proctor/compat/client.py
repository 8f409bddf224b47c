"""1.x `Client` (`from proctor import Client`): Proctor's client with the 1.x methods flows
and scripts call, answered by a Proctor server.

It is `proctor.client.Client` plus 1.x spellings: `create_flow_run(flow_id=...,
version_group_id=..., parameters=..., run_name=..., labels=..., idempotency_key=...,
scheduled_start_time=...)` returning the new run's id, `get_flow_run_info(id)` (the run,
its `State` and its task runs), `get_flow_run_state`, `get_task_run_state`,
`cancel_flow_run` (True once asked) and `create_project(name)` (the id). `graphql()`
spoke the hosted schema: it raises NotOfferedError naming `Client.query` (Proctor's
schema). Proctor's own client stays at `proctor.client.Client`, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from proctor.client import Client as ProctorClient
from proctor.compat.errors import not_offered
from proctor.core.errors import ProctorError
from proctor.core.states import STATE_TYPES, State


def _state(name: str | None, type_name: str | None, message: str | None) -> State:
    cls = STATE_TYPES.get(name or "") or STATE_TYPES.get(type_name or "") or State
    return cls(message)


@dataclass(frozen=True)
class TaskRunInfoResult:
    """One task run of a flow run, as 1.x's `get_flow_run_info` listed them."""

    id: str
    task_slug: str
    map_index: int
    version: int
    state: State


@dataclass(frozen=True)
class FlowRunInfoResult:
    """A flow run as 1.x's `get_flow_run_info` returned it (`.state` is a State object)."""

    id: str
    name: str
    flow_id: str
    version: int
    parameters: dict[str, Any]
    labels: list[str]
    state: State
    scheduled_start_time: datetime | None
    context: dict[str, Any] = field(default_factory=dict)
    task_runs: list[TaskRunInfoResult] = field(default_factory=list)


class Client(ProctorClient):
    """Proctor's client with the 1.x methods (see the module's docstring)."""

    def create_flow_run(  # type: ignore[override]  # 1.x returns the new run's id
        self,
        flow_id: str | None = None,
        context: dict[str, Any] | None = None,
        parameters: dict[str, Any] | None = None,
        run_config: Any = None,
        labels: list[str] | None = None,
        version_group_id: str | None = None,
        idempotency_key: str | None = None,
        scheduled_start_time: datetime | None = None,
        run_name: str | None = None,
        *,
        project: str | None = None,
        flow_name: str | None = None,
        name: str | None = None,
    ) -> str:
        """Start a run of a registered flow (by version id, by 1.x `version_group_id`: the
        newest version of that flow, or by `project`/`flow_name`); returns its id."""
        if context:
            raise not_offered(
                "Client.create_flow_run(context=...)",
                "a run's context is built by the engine: pass the values as parameters",
            )
        if run_config is not None:
            raise not_offered(
                "Client.create_flow_run(run_config=...)",
                "a run uses its flow's run config: set flow.run_config and register it",
            )
        if version_group_id is not None:
            if flow_id is not None:
                raise ProctorError("Give flow_id or version_group_id, not both.")
            flow_id = self._newest_version_of(version_group_id)
        if flow_id is None and flow_name is None:
            raise ProctorError("create_flow_run needs flow_id, version_group_id or flow_name.")
        run = super().create_flow_run(
            flow_id,
            project=project,
            flow_name=flow_name,
            parameters=parameters,
            scheduled_start_time=scheduled_start_time,
            labels=labels,
            idempotency_key=idempotency_key,
            name=run_name or name,
        )
        return run.id

    def _newest_version_of(self, group_id: str) -> str:
        after: str | None = None
        while True:
            page = self.list_flows(first=100, after=after)
            for flow in page.items:
                if flow.flow_group_id == group_id:
                    return flow.id
            if not page.has_next_page:
                raise ProctorError(f"No active flow has version_group_id {group_id!r}.")
            after = page.end_cursor

    def get_flow_run_info(self, flow_run_id: str) -> FlowRunInfoResult:
        context = self.get_flow_run_context(flow_run_id)
        run = context.flow_run
        return FlowRunInfoResult(
            id=run.id,
            name=run.name,
            flow_id=run.flow_id,
            version=run.version,
            parameters=dict(run.parameters),
            labels=list(run.labels),
            state=_state(run.state, run.state_type, run.state_message),
            scheduled_start_time=run.scheduled_start_time,
            task_runs=[
                TaskRunInfoResult(
                    id=task_run.id,
                    task_slug=task_run.task_slug,
                    map_index=task_run.map_index,
                    version=task_run.version,
                    state=_state(task_run.state, task_run.state_type, task_run.state_message),
                )
                for task_run in context.task_runs
            ],
        )

    def get_flow_run_state(self, flow_run_id: str) -> State:
        run = self.get_flow_run(flow_run_id)
        return _state(run.state, run.state_type, run.state_message)

    def get_task_run_state(self, task_run_id: str) -> State:
        found = self.query(
            "query ($id: ID!) { taskRun(id: $id) { state stateType stateMessage } }",
            {"id": task_run_id},
        ).get("taskRun")
        if not found:
            raise ProctorError(f"No task run {task_run_id!r} on this server.")
        return _state(found["state"], found.get("stateType"), found.get("stateMessage"))

    def cancel_flow_run(self, flow_run_id: str) -> bool:  # type: ignore[override]
        super().cancel_flow_run(flow_run_id)
        return True

    def create_project(  # type: ignore[override]  # 1.x returns the project's id
        self, project_name: str, project_description: str | None = None
    ) -> str:
        return super().create_project(project_name, project_description).id

    def graphql(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise not_offered(
            "Client.graphql",
            "it queried the hosted GraphQL schema; Proctor's schema is different: use "
            "Client.query(document, variables) with Proctor's queries (see /graphql)",
        )


__all__ = ["Client", "FlowRunInfoResult", "TaskRunInfoResult"]
