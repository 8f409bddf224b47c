"""Flow runs: creating (with parameter validation and idempotency), reading, listing,
cancelling, restarting, deleting."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import (
    Flow,
    FlowGroup,
    FlowRun,
    FlowRunState,
    Project,
    TaskRunState,
)
from proctor.server.errors import Conflict, InvalidInput, NotFound, TransitionRejected
from proctor.server.events import Event
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.states import parse_timestamp
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow, find_flow_run, find_project
from proctor.server.services.plumbing.names import run_name
from proctor.server.services.plumbing.pagination import (
    Ordering,
    SortKey,
    fetch_page,
    ordering_choice,
)
from proctor.server.services.plumbing.parameters import validate_parameters
from proctor.server.services.plumbing.validation import (
    as_uuid,
    json_value,
    name_arg,
    optional_uuid,
    page_size,
    string_list,
)
from proctor.server.services.run_search import (
    EXTRA_ORDERINGS,
    NULLABLE_ORDERINGS,
    RunFilters,
    apply_filters,
    fetch_nullable_page,
)
from proctor.server.services.task_runs import state_filter

FLOW_RUN_ORDERINGS = {
    name: Ordering(name, (SortKey(column, descending), SortKey(FlowRun.id, descending)))
    for name, column, descending in [
        ("-scheduled_start_time", FlowRun.scheduled_start_time, True),
        ("scheduled_start_time", FlowRun.scheduled_start_time, False),
        ("-created", FlowRun.created, True),
        ("created", FlowRun.created, False),
        ("-state_timestamp", FlowRun.state_timestamp, True),
        ("state_timestamp", FlowRun.state_timestamp, False),
    ]
} | EXTRA_ORDERINGS

MAX_IDEMPOTENCY_KEY = 200


async def _resolve_flow(
    session: AsyncSession,
    tenant: uuid.UUID,
    flow_id: uuid.UUID | None,
    project: str | None,
    flow_name: str | None,
) -> Flow:
    if flow_id is not None:
        flow = await find_flow(session, tenant, flow_id)
        if flow.archived:
            raise Conflict(
                f"Flow version {flow.version} of {flow.name!r} is archived; "
                "run the current version",
                details={"flow_id": str(flow.id)},
            )
        return flow
    if project is None or flow_name is None:
        raise InvalidInput("Pass flow_id, or both project and flow_name")
    project_row = await find_project(session, tenant, project)
    latest = await session.scalar(
        sa.select(Flow)
        .join(FlowGroup, FlowGroup.id == Flow.flow_group_id)
        .where(
            FlowGroup.project_id == project_row.id,
            FlowGroup.name == flow_name,
            Flow.archived.is_(False),
        )
        .order_by(Flow.version.desc())
        .limit(1)
    )
    if latest is None:
        raise NotFound(
            f"No active flow {flow_name!r} in project {project!r}",
            details={"project": project, "flow_name": flow_name},
        )
    return latest


async def _by_idempotency_key(
    session: AsyncSession, tenant: uuid.UUID, flow_id: uuid.UUID, key: str
) -> records.FlowRun | None:
    found = (
        await session.execute(
            sa.select(FlowRun, Flow.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(
                FlowRun.tenant_id == tenant,
                FlowRun.flow_id == flow_id,
                FlowRun.idempotency_key == key,
            )
        )
    ).first()
    return None if found is None else rows.flow_run(found[0], found[1])


async def create_flow_run(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_id: uuid.UUID | str | None = None,
    project: str | None = None,
    flow_name: str | None = None,
    parameters: dict[str, Any] | None = None,
    scheduled_start_time: datetime | str | None = None,
    labels: list[str] | None = None,
    idempotency_key: str | None = None,
    name: str | None = None,
    auto_scheduled: bool = False,
    context: dict[str, Any] | None = None,
    run_config_override: dict[str, Any] | None = None,
) -> records.FlowRun:
    """Create a run of a flow version (by id, or the newest active version of
    project/flow_name), in state Scheduled at `scheduled_start_time` (default: now).

    Parameters are checked against the version's JSON schema (`InvalidInput` names each
    bad parameter) and stored with defaults filled in. Labels default to the flow's;
    `run_config_override` (from `services.run_configs.env_override`) is kept for agents. With
    an `idempotency_key` already used for this flow, the existing run is returned.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    flow_uuid = optional_uuid(flow_id, "flow_id")
    when = parse_timestamp(scheduled_start_time, "scheduled_start_time")
    run_labels = None if labels is None else string_list(labels, "labels")
    run_name_value = None if name is None else name_arg(name, "name")
    if idempotency_key is not None and (
        not isinstance(idempotency_key, str)
        or not idempotency_key
        or len(idempotency_key) > MAX_IDEMPOTENCY_KEY
    ):
        raise InvalidInput(
            f"idempotency_key must be a non-empty string of at most {MAX_IDEMPOTENCY_KEY} chars"
        )
    if context is not None and not isinstance(context, dict):
        raise InvalidInput("context must be an object")
    json_value(parameters, "parameters")
    json_value(context, "context")
    try:
        async with db.transaction() as session:
            flow = await _resolve_flow(session, tenant, flow_uuid, project, flow_name)
            effective = validate_parameters(flow.parameter_schema, parameters)
            if idempotency_key is not None:
                existing = await _by_idempotency_key(session, tenant, flow.id, idempotency_key)
                if existing is not None:
                    return existing
            now = datetime.now(UTC)
            start = when or now
            run = FlowRun(
                id=new_id(),
                tenant_id=tenant,
                flow_id=flow.id,
                flow_group_id=flow.flow_group_id,
                name=run_name_value or run_name(),
                state="Scheduled",
                state_type="Scheduled",
                state_message="Flow run scheduled.",
                state_timestamp=now,
                version=1,
                run_count=0,
                parameters=effective,
                context=context or {},
                run_config_override=run_config_override,
                labels=run_labels if run_labels is not None else list(flow.labels or []),
                scheduled_start_time=start,
                idempotency_key=idempotency_key,
                auto_scheduled=auto_scheduled,
                created=now,
                updated=now,
            )
            session.add(run)
            session.add(
                FlowRunState(
                    tenant_id=tenant,
                    flow_run_id=run.id,
                    state="Scheduled",
                    state_type="Scheduled",
                    message="Flow run scheduled.",
                    timestamp=now,
                    start_time=start,
                    version=1,
                    data={},
                    created=now,
                )
            )
            await session.flush()
            record_event(
                session,
                Event(
                    "flow_run.created",
                    str(tenant),
                    flow_run_id=str(run.id),
                    data={"flow_id": str(flow.id), "state": "Scheduled", "version": 1},
                ),
            )
            return rows.flow_run(run, flow.name)
    except sa_exc.IntegrityError:
        if idempotency_key is None:
            raise
    # A concurrent create with the same idempotency key won (PostgreSQL): return it.
    async with db.session() as session:
        flow = await _resolve_flow(session, tenant, flow_uuid, project, flow_name)
        existing = await _by_idempotency_key(session, tenant, flow.id, idempotency_key)
    if existing is None:
        raise Conflict("Could not create the flow run; retry")
    return existing


async def get_flow_run(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> records.FlowRun:
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.session() as session:
        run, flow_name = await find_flow_run(session, tenant, run_id)
        return rows.flow_run(run, flow_name)


async def list_flow_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_id: uuid.UUID | str | None = None,
    flow_group_id: uuid.UUID | str | None = None,
    states: Sequence[str] | None = None,
    project: str | None = None,
    scheduled_before: datetime | str | None = None,
    scheduled_after: datetime | str | None = None,
    agent_id: uuid.UUID | str | None = None,
    order_by: str = "-scheduled_start_time",
    first: int = 50,
    after: str | None = None,
    count: bool = True,
    filters: RunFilters | None = None,
) -> records.Page[records.FlowRun]:
    """Flow runs, filtered and paged. `states` entries match a state name ("TimedOut")
    or a family ("Failed" = every failed state). Time bounds are inclusive. `filters`:
    the runs list's others (services.run_search)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    nullable = NULLABLE_ORDERINGS.get(order_by)
    ordering = None if nullable else ordering_choice(FLOW_RUN_ORDERINGS, order_by)
    size = page_size(first)
    statement = (
        sa.select(FlowRun, Flow.name)
        .join(Flow, Flow.id == FlowRun.flow_id)
        .where(FlowRun.tenant_id == tenant)
    )
    if flow_id is not None:
        statement = statement.where(FlowRun.flow_id == as_uuid(flow_id, "flow_id"))
    if flow_group_id is not None:
        statement = statement.where(
            FlowRun.flow_group_id == as_uuid(flow_group_id, "flow_group_id")
        )
    if states:
        statement = statement.where(state_filter(FlowRun.state, FlowRun.state_type, states))
    if project is not None:
        statement = statement.join(Project, Project.id == Flow.project_id).where(
            Project.name == project
        )
    before = parse_timestamp(scheduled_before, "scheduled_before")
    if before is not None:
        statement = statement.where(FlowRun.scheduled_start_time <= before)
    since = parse_timestamp(scheduled_after, "scheduled_after")
    if since is not None:
        statement = statement.where(FlowRun.scheduled_start_time >= since)
    if agent_id is not None:
        statement = statement.where(FlowRun.agent_id == as_uuid(agent_id, "agent_id"))
    if filters is not None:
        statement = apply_filters(db, tenant, statement, filters)
    async with db.session() as session:
        if nullable is not None:
            page = await fetch_nullable_page(
                session, db, statement, nullable, first=size, after=after, count=count
            )
        else:
            assert ordering is not None
            keys = ordering.keys
            page = await fetch_page(
                session,
                statement,
                ordering,
                first=size,
                after=after,
                count=count,
                sort_values=lambda row: [getattr(row[0], k.column.key) for k in keys],
            )
    return records.Page(
        items=[rows.flow_run(run, flow_name) for run, flow_name in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def _change_one(
    db: Database, tenant: uuid.UUID, run_id: uuid.UUID, state: ProposedState, *, force: bool
) -> records.FlowRun:
    async with db.transaction() as session:
        run, flow_name = await find_flow_run(session, tenant, run_id, lock=True)
        if run.state == "Cancelling" and state.name == "Cancelling":
            return rows.flow_run(run, flow_name)  # already being cancelled
        [result] = await transition_flow_runs(
            session, db.config, tenant, [FlowChange(run_id, state, None, None, force)]
        )
        if not result.accepted:
            raise TransitionRejected(
                result.reason or "State change rejected",
                details={"rule": result.rule, "state": result.state},
                code=result.code,
            )
        await session.refresh(run)
        return rows.flow_run(run, flow_name)


async def cancel_flow_run(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> records.FlowRun:
    """Cancel a run: Cancelling if it may be running (its process stops it), Cancelled at
    once if it has not started. `TransitionRejected` if it already finished."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    return await _change_one(
        db, tenant, run_id, ProposedState("Cancelling", "Cancellation requested."), force=False
    )


async def delete_flow_run(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> bool:
    """Delete a run with its task runs, states and logs; False if there was none."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.transaction() as session:
        result: Any = await session.execute(
            sa.delete(FlowRun).where(FlowRun.tenant_id == tenant, FlowRun.id == run_id)
        )
        deleted = bool(result.rowcount)
        if deleted:
            record_event(session, Event("flow_run.deleted", str(tenant), flow_run_id=str(run_id)))
    return deleted


async def list_flow_run_states(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> list[records.StateRecord]:
    """The state history of a flow run, oldest first."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.session() as session:
        await find_flow_run(session, tenant, run_id)
        result = await session.scalars(
            sa.select(FlowRunState)
            .where(FlowRunState.flow_run_id == run_id)
            .order_by(FlowRunState.version, FlowRunState.timestamp)
        )
        return [rows.state_record(row) for row in result]


async def list_task_run_states(
    db: Database, tenant_id: uuid.UUID | str, task_run_id: uuid.UUID | str
) -> list[records.StateRecord]:
    """The state history of a task run, oldest first."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(task_run_id, "task_run_id")
    async with db.session() as session:
        result = await session.scalars(
            sa.select(TaskRunState)
            .where(TaskRunState.tenant_id == tenant, TaskRunState.task_run_id == run_id)
            .order_by(TaskRunState.version, TaskRunState.timestamp)
        )
        return [rows.state_record(row) for row in result]


async def heartbeat_flow_runs(
    db: Database, tenant_id: uuid.UUID | str, flow_run_ids: Sequence[uuid.UUID | str]
) -> list[records.FlowRun]:
    """Record that these runs' processes are alive, and return the runs as they are now
    (unknown ids are left out). The answer is how a run process learns, at its next
    heartbeat, that its run is being cancelled (`Cancelling`) or was taken away."""
    tenant = as_uuid(tenant_id, "tenant_id")
    ids = sorted({as_uuid(i, "flow_run_id") for i in flow_run_ids})
    if not ids:
        return []
    async with db.transaction() as session:
        await session.execute(
            sa.update(FlowRun)
            .where(FlowRun.tenant_id == tenant, FlowRun.id.in_(ids))
            .values(heartbeat=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )
        found = await session.execute(
            sa.select(FlowRun, Flow.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(FlowRun.tenant_id == tenant, FlowRun.id.in_(ids))
            .order_by(FlowRun.id)
        )
        return [rows.flow_run(run, flow_name) for run, flow_name in found.all()]


__all__ = [
    "FLOW_RUN_ORDERINGS",
    "cancel_flow_run",
    "create_flow_run",
    "delete_flow_run",
    "get_flow_run",
    "heartbeat_flow_runs",
    "list_flow_run_states",
    "list_flow_runs",
    "list_task_run_states",
]
