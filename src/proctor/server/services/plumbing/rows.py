"""Turning database rows into the records services return (one function per record)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from proctor.server.database import models
from proctor.server.services.plumbing import records


def project(row: models.Project, flow_count: int = 0) -> records.Project:
    return records.Project(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        description=row.description,
        created=row.created,
        updated=row.updated,
        flow_count=flow_count,
    )


def flow_group(row: models.FlowGroup) -> records.FlowGroup:
    return records.FlowGroup(
        id=row.id,
        tenant_id=row.tenant_id,
        project_id=row.project_id,
        name=row.name,
        schedule=row.schedule,
        schedule_active=row.schedule_active,
        labels=list(row.labels or []),
        created=row.created,
        updated=row.updated,
    )


def task_info(row: models.Task) -> records.TaskInfo:
    return records.TaskInfo(
        id=row.id,
        slug=row.slug,
        name=row.name,
        type=row.type,
        mapped=row.mapped,
        tags=list(row.tags or []),
        retries=row.retries,
        retry_delay=row.retry_delay,
        timeout=row.timeout,
        trigger=row.trigger,
        is_parameter=row.is_parameter,
        is_reference=row.is_reference,
        description=row.description,
    )


def flow_version(
    row: models.Flow,
    group: models.FlowGroup,
    project_name: str,
    *,
    tasks: list[records.TaskInfo] | None = None,
    with_spec: bool = False,
) -> records.FlowVersion:
    spec: dict[str, Any] = row.spec or {}
    edges = None
    if with_spec:
        edges = [
            records.Edge(
                upstream=e["upstream"],
                downstream=e["downstream"],
                key=e.get("key"),
                mapped=bool(e.get("mapped")),
                flatten=bool(e.get("flatten")),
            )
            for e in spec.get("edges", [])
        ]
    return records.FlowVersion(
        id=row.id,
        tenant_id=row.tenant_id,
        project_id=row.project_id,
        project_name=project_name,
        flow_group_id=row.flow_group_id,
        name=row.name,
        version=row.version,
        description=row.description,
        fingerprint=row.fingerprint,
        parameters=list(spec.get("parameters", [])),
        parameter_schema=row.parameter_schema,
        storage=row.storage,
        labels=list(row.labels or []),
        run_config=row.run_config or {},
        schedule=group.schedule,
        schedule_active=group.schedule_active,
        archived=row.archived,
        created=row.created,
        tasks=tasks,
        edges=edges,
        spec=spec if with_spec else None,
    )


def flow_run(row: models.FlowRun, flow_name: str) -> records.FlowRun:
    return records.FlowRun(
        id=row.id,
        tenant_id=row.tenant_id,
        flow_id=row.flow_id,
        flow_group_id=row.flow_group_id,
        flow_name=flow_name,
        name=row.name,
        state=row.state,
        state_type=row.state_type,
        state_message=row.state_message,
        state_timestamp=row.state_timestamp,
        version=row.version,
        run_count=row.run_count,
        parameters=row.parameters or {},
        labels=list(row.labels or []),
        scheduled_start_time=row.scheduled_start_time,
        start_time=row.start_time,
        end_time=row.end_time,
        idempotency_key=row.idempotency_key,
        auto_scheduled=row.auto_scheduled,
        agent_id=row.agent_id,
        heartbeat=row.heartbeat,
        result_location=row.result_location,
        created=row.created,
        updated=row.updated,
        backfill_id=row.backfill_id,
    )


def task_run(row: Any) -> records.TaskRun:
    return records.TaskRun(
        id=row.id,
        tenant_id=row.tenant_id,
        flow_run_id=row.flow_run_id,
        task_slug=row.task_slug,
        map_index=row.map_index,
        state=row.state,
        state_type=row.state_type,
        state_message=row.state_message,
        state_timestamp=row.state_timestamp,
        version=row.version,
        run_count=row.run_count,
        start_time=row.start_time,
        end_time=row.end_time,
        result_location=row.result_location,
        created=row.created,
        updated=row.updated,
    )


def state_record(row: models.FlowRunState | models.TaskRunState) -> records.StateRecord:
    return records.StateRecord(
        id=row.id,
        state=row.state,
        state_type=row.state_type,
        message=row.message,
        timestamp=row.timestamp,
        start_time=row.start_time,
        result_location=row.result_location,
        version=row.version,
        data=row.data or {},
    )


def agent(row: models.Agent, runs_in_flight: int = 0) -> records.Agent:
    return records.Agent(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        labels=list(row.labels or []),
        version=row.version,
        last_heartbeat=row.last_heartbeat,
        created=row.created,
        runs_in_flight=runs_in_flight,
        stopped_at=stopped_at(row.health, row.health_changed, row.last_heartbeat),
        problem=row.problem,
    )


def stopped_at(
    health: str | None, changed: datetime | None, last_heartbeat: datetime | None
) -> datetime | None:
    """When the agent stopped cleanly, if it is still stopped: a heartbeat (a restart)
    after the stop ends it."""
    if health != "STOPPED" or changed is None:
        return None
    if last_heartbeat is not None and _aware(last_heartbeat) > _aware(changed):
        return None
    return changed


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = [
    "agent",
    "flow_group",
    "flow_run",
    "flow_version",
    "project",
    "state_record",
    "task_info",
    "task_run",
]
