# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""The `Mutation` root: everything the CLI, agents, flow runs and the UI change.

Batched mutations (`setFlowRunStates`, `setTaskRunStates`, `createTaskRuns`,
`writeLogs`) take a list and are applied by the services in one transaction each: a run
reporting 10,000 task states sends a handful of requests, not 10,000. A state change that
the rules refuse is not an error of the whole batch: its `TransitionResult` says why
(`code`), and the other changes still apply.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import strawberry
from strawberry.scalars import JSON

from proctor.server.api import batches, run_scope
from proctor.server.api.inputs import CreateFlowRunInput, RegisterFlowInput
from proctor.server.api.loaders import ctx
from proctor.server.api.request_limits import check_batch_size
from proctor.server.api.types import (
    Agent,
    Flow,
    FlowGroup,
    FlowRun,
    Project,
    RegisterFlowResult,
    TaskRun,
    TransitionResult,
    WriteLogsResult,
)
from proctor.server.auth import agent_identity
from proctor.server.services import agents, claims, flow_runs, flows, projects, restarts
from proctor.server.services import logs as logs_service
from proctor.server.services import task_runs as task_runs_service
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.run_configs import env_override


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a project (CONFLICT if the name is taken).")
    async def create_project(
        self, info: strawberry.Info, name: str, description: str | None = None
    ) -> Project:
        context = ctx(info)
        record = await projects.create_project(context.db, context.tenant_id, name, description)
        return Project.from_record(record)

    @strawberry.mutation(
        description="Delete a project with its flows and runs; false if absent. CONFLICT "
        "while runs are in progress unless `force` (see `deletionPreview` for the counts)."
    )
    async def delete_project(
        self, info: strawberry.Info, id: strawberry.ID, force: bool = False
    ) -> bool:
        context = ctx(info)
        return await projects.delete_project(context.db, context.tenant_id, id, force=force)

    @strawberry.mutation(description="Register a FlowSpec; an identical one is 'unchanged'.")
    async def register_flow(
        self, info: strawberry.Info, input: RegisterFlowInput
    ) -> RegisterFlowResult:
        context = ctx(info)
        spec: JSON = input.spec
        result = await flows.register_flow(
            context.db,
            context.tenant_id,
            input.project,
            spec,  # type: ignore[arg-type]  # the service checks it is an object
            storage=input.storage,  # type: ignore[arg-type]
            labels=input.labels,
            archive_previous=input.archive_previous,
            create_project=input.create_project,
        )
        return RegisterFlowResult(
            flow=Flow.from_record(result.flow),
            status=result.status,
            archived=[strawberry.ID(str(flow_id)) for flow_id in result.archived],
        )

    @strawberry.mutation(description="Archive a flow version: readable, but no new runs.")
    async def archive_flow(self, info: strawberry.Info, id: strawberry.ID) -> Flow:
        context = ctx(info)
        return Flow.from_record(await flows.archive_flow(context.db, context.tenant_id, id))

    @strawberry.mutation(description="Turn a flow's schedule on or off (flow or flow group id).")
    async def set_schedule_active(
        self, info: strawberry.Info, flow_id: strawberry.ID, active: bool
    ) -> FlowGroup:
        context = ctx(info)
        group = await flows.set_schedule_active(context.db, context.tenant_id, flow_id, active)
        return FlowGroup.from_record(group)

    @strawberry.mutation(description="Create a flow run (parameters checked against the schema).")
    async def create_flow_run(self, info: strawberry.Info, input: CreateFlowRunInput) -> FlowRun:
        context = ctx(info)
        record = await flow_runs.create_flow_run(
            context.db,
            context.tenant_id,
            flow_id=input.flow_id,
            project=input.project,
            flow_name=input.flow_name,
            parameters=input.parameters,  # type: ignore[arg-type]  # checked by the service
            scheduled_start_time=input.scheduled_start_time,
            labels=input.labels,
            idempotency_key=input.idempotency_key,
            name=input.name,
            run_config_override=env_override(input.env),
        )
        return FlowRun.from_record(record)

    @strawberry.mutation(
        description="Batched flow-run state changes, applied in order in one transaction; "
        "one result per change. Each item is a `FlowRunStateInput` object."
    )
    async def set_flow_run_states(
        self, info: strawberry.Info, changes: list[JSON]
    ) -> list[TransitionResult]:
        context = ctx(info)
        check_batch_size(changes, context.request_limits)
        parsed = batches.flow_run_changes(changes)
        await run_scope.changes(info, parsed)
        results = await set_flow_run_states(context.db, context.tenant_id, parsed)
        return [TransitionResult.from_record(result) for result in results]

    @strawberry.mutation(
        description="Batched task-run state changes in one transaction (task runs are "
        "created on first report). Each item is a `TaskRunStateInput` object."
    )
    async def set_task_run_states(
        self, info: strawberry.Info, changes: list[JSON]
    ) -> list[TransitionResult]:
        context = ctx(info)
        check_batch_size(changes, context.request_limits)
        parsed = batches.task_run_changes(changes)
        await run_scope.changes(info, parsed)
        results = await task_runs_service.set_task_run_states(context.db, context.tenant_id, parsed)
        return [TransitionResult.from_record(result) for result in results]

    @strawberry.mutation(
        description="Create task runs (Pending) unless they exist; idempotent. Each item "
        "is a `TaskRunInput` object."
    )
    async def create_task_runs(
        self, info: strawberry.Info, flow_run_id: strawberry.ID, task_runs: list[JSON]
    ) -> list[TaskRun]:
        context = ctx(info)
        check_batch_size(task_runs, context.request_limits)
        await run_scope.run(info, flow_run_id, "reopen")
        records = await task_runs_service.create_task_runs(
            context.db, context.tenant_id, flow_run_id, batches.task_run_keys(task_runs)
        )
        return [TaskRun.from_record(record) for record in records]

    @strawberry.mutation(description="Store a batch of log lines; each is a `LogInput` object.")
    async def write_logs(self, info: strawberry.Info, logs: list[JSON]) -> WriteLogsResult:
        context = ctx(info)
        check_batch_size(logs, context.request_limits)
        lines = batches.log_lines(logs)
        await run_scope.runs(info, (line.flow_run_id for line in lines), "logs")
        count = await logs_service.write_logs(context.db, context.tenant_id, lines)
        return WriteLogsResult(count=count)

    @strawberry.mutation(
        description="Batched heartbeats of running flow runs. Returns the runs as they are "
        "now (unknown ids left out): a run process learns from it that its run is "
        "`Cancelling`."
    )
    async def heartbeat_flow_runs(
        self, info: strawberry.Info, flow_run_ids: list[strawberry.ID]
    ) -> list[FlowRun]:
        context = ctx(info)
        check_batch_size(flow_run_ids, context.request_limits)
        await run_scope.runs(info, flow_run_ids, "report")
        found = await flow_runs.heartbeat_flow_runs(context.db, context.tenant_id, flow_run_ids)
        return [FlowRun.from_record(record) for record in found]

    @strawberry.mutation(
        description="Register an agent, or update the one with this name (same id): its "
        "labels and version."
    )
    async def register_agent(
        self,
        info: strawberry.Info,
        name: str,
        labels: list[str],
        version: str | None = None,
    ) -> Agent:
        context = ctx(info)
        await agent_identity.check_may_register(
            context.db,
            context.principal,
            as_uuid(context.tenant_id, "tenant_id"),
            name,
            alive_after=_agent_alive_after(info),
        )
        record = await agents.register_agent(
            context.db,
            context.tenant_id,
            name,
            labels=labels,
            version=version,
            registered_with=context.principal.api_key_id if context.principal else None,
        )
        return Agent.from_record(record)

    @strawberry.mutation(
        description="An agent is alive; `problem`: what keeps it from starting runs now "
        "(e.g. its Docker daemon is down), null when nothing does."
    )
    async def agent_heartbeat(
        self, info: strawberry.Info, agent_id: strawberry.ID, problem: str | None = None
    ) -> Agent:
        context = ctx(info)
        await _check_speaks_for(info, agent_id)
        return Agent.from_record(
            await agents.heartbeat_agent(context.db, context.tenant_id, agent_id, problem)
        )

    @strawberry.mutation(
        description="The agent stopped cleanly: it shows as STOPPED (not UNHEALTHY, no "
        "alert) until it registers or heartbeats again."
    )
    async def stop_agent(self, info: strawberry.Info, agent_id: strawberry.ID) -> Agent:
        context = ctx(info)
        await _check_speaks_for(info, agent_id)
        return Agent.from_record(await agents.stop_agent(context.db, context.tenant_id, agent_id))

    @strawberry.mutation(
        description="Remove a stale agent (stopped, or unhealthy: silent for longer than "
        "the UNHEALTHY threshold); a running agent is refused. Its runs stay. Returns its name."
    )
    async def delete_agent(self, info: strawberry.Info, id: strawberry.ID) -> str:
        from proctor.server.api.agent_monitoring import thresholds_of

        context = ctx(info)
        alive_after = datetime.now(UTC) - timedelta(seconds=thresholds_of(info).unhealthy_seconds)
        return await agents.delete_agent(context.db, context.tenant_id, id, alive_after=alive_after)

    @strawberry.mutation(
        description="Claim up to `limit` due runs (Scheduled, start time reached, labels a "
        "subset of `labels`) for the agent: they become Submitted, each claimed by exactly "
        "one agent. When none is due, waits up to `waitSeconds` (long-poll, capped by the "
        "server) for one. Counts as the agent's heartbeat."
    )
    async def claim_flow_runs(
        self,
        info: strawberry.Info,
        agent_id: strawberry.ID,
        labels: list[str],
        limit: int = 1,
        wait_seconds: float = 0.0,
    ) -> list[FlowRun]:
        context = ctx(info)
        await _check_speaks_for(info, agent_id)
        records = await claims.claim_flow_runs(
            context.db,
            context.tenant_id,
            agent_id,
            labels=labels,
            limit=limit,
            wait_seconds=wait_seconds,
            max_wait=context.request_limits.max_claim_wait,
            stopping=context.stopping,
            claimed_with=context.principal.api_key_id if context.principal else None,
        )
        return [FlowRun.from_record(record) for record in records]

    @strawberry.mutation(
        description="Cancel a run: Cancelling if it may be running, else Cancelled."
    )
    async def cancel_flow_run(self, info: strawberry.Info, id: strawberry.ID) -> FlowRun:
        context = ctx(info)
        return FlowRun.from_record(
            await flow_runs.cancel_flow_run(context.db, context.tenant_id, id)
        )

    @strawberry.mutation(
        description="Run a finished run again: its failed or cancelled task runs and "
        "everything downstream of them go back to Pending, successful ones are reused; "
        "the run is Scheduled now for an agent to claim."
    )
    async def restart_flow_run(self, info: strawberry.Info, id: strawberry.ID) -> FlowRun:
        context = ctx(info)
        return FlowRun.from_record(
            await restarts.restart_flow_run(context.db, context.tenant_id, id)
        )

    @strawberry.mutation(description="Delete a run with its task runs, states and logs.")
    async def delete_flow_run(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = ctx(info)
        return await flow_runs.delete_flow_run(context.db, context.tenant_id, id)


async def _check_speaks_for(info: strawberry.Info, agent_id: strawberry.ID) -> None:
    context = ctx(info)
    await agent_identity.check_speaks_for(
        context.db,
        context.principal,
        as_uuid(context.tenant_id, "tenant_id"),
        as_uuid(agent_id, "agent_id"),
    )


def _agent_alive_after(info: strawberry.Info) -> datetime:
    """Agents silent since before this are no longer alive (the UNHEALTHY threshold)."""
    from proctor.server.api.agent_monitoring import thresholds_of

    return datetime.now(UTC) - timedelta(seconds=thresholds_of(info).unhealthy_seconds)


__all__ = ["Mutation"]
