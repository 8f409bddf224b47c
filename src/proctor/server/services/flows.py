"""Flows: registering versions, archiving, schedules, reading them back."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Flow, FlowGroup, Project, ScheduleOverride, Task
from proctor.server.errors import Conflict, InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.flowspec import parse_flow_spec, spec_document
from proctor.server.services.plumbing.lookups import find_flow, find_project
from proctor.server.services.plumbing.pagination import (
    Ordering,
    SortKey,
    fetch_page,
    ordering_choice,
)
from proctor.server.services.plumbing.tenants import require_tenant
from proctor.server.services.plumbing.validation import (
    as_uuid,
    json_value,
    name_arg,
    page_size,
    string_list,
)
from proctor.server.services.schedules import (
    adopt_new_version,
    check_schedule,
    remove_unstarted_auto_runs,
)

FLOW_ORDERINGS = {
    "name": Ordering(
        "name",
        (SortKey(Flow.name), SortKey(Flow.version, descending=True), SortKey(Flow.id)),
    ),
    "-created": Ordering(
        "-created", (SortKey(Flow.created, descending=True), SortKey(Flow.id, descending=True))
    ),
    "created": Ordering("created", (SortKey(Flow.created), SortKey(Flow.id))),
}


def _task_rows(tenant: uuid.UUID, flow_id: uuid.UUID, spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": new_id(),
            "tenant_id": tenant,
            "flow_id": flow_id,
            "slug": task["slug"],
            "name": task["name"],
            "type": task["type"],
            "mapped": task["mapped"],
            "tags": task["tags"],
            "retries": task["retries"],
            "retry_delay": task["retry_delay"],
            "timeout": task["timeout"],
            "trigger": task["trigger"],
            "is_parameter": task["is_parameter"],
            "is_reference": task["is_reference"],
            "description": task["description"],
            "spec": task,
        }
        for task in spec["tasks"]
    ]


async def _project_for_registration(
    session: AsyncSession, tenant: uuid.UUID, project: str, create: bool
) -> Project:
    try:
        return await find_project(session, tenant, project)
    except NotFound:
        if not create:
            raise NotFound(
                f"No project {project!r}: create it first (or pass create_project=True)",
                details={"project": project},
            ) from None
    await require_tenant(session, tenant)
    row = Project(tenant_id=tenant, name=name_arg(project, "project"))
    session.add(row)
    await session.flush()
    return row


async def register_flow(
    db: Database,
    tenant_id: uuid.UUID | str,
    project: str,
    spec: dict[str, Any],
    *,
    storage: dict[str, Any] | None = None,
    labels: list[str] | None = None,
    archive_previous: bool = True,
    create_project: bool = False,
) -> records.RegisterResult:
    """Register a FlowSpec as a new version of `project`/`spec["name"]`.

    If the latest version has the same fingerprint (same spec, storage and labels) it is
    returned with status "unchanged" and nothing is written. Otherwise a new version
    (previous + 1) is stored with its tasks, and older active versions are archived
    unless `archive_previous=False`. The flow group's schedule follows the newest
    version; a group created with a schedule starts with the schedule active. Upcoming
    runs the scheduler made move to the new version (see `schedules.adopt_new_version`).
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    model = parse_flow_spec(json_value(spec, "spec"))
    if storage is not None:
        if not isinstance(storage, dict):
            raise InvalidInput("storage must be an object (Storage.to_dict())")
        json_value(storage, "storage")
        model = model.model_copy(update={"storage": storage})
    if labels is not None:
        model = model.model_copy(update={"labels": string_list(labels, "labels")})
    document = spec_document(model)
    check_schedule(document["schedule"])
    for attempt in range(3):
        try:
            async with db.transaction() as session:
                return await _register(
                    session, tenant, project, document, archive_previous, create_project
                )
        except sa_exc.IntegrityError:
            # Another registration of the same new flow/project committed first
            # (PostgreSQL); the next attempt sees its rows.
            if attempt == 2:
                raise Conflict(
                    "The flow was registered concurrently; retry the registration",
                    details={"name": document["name"]},
                ) from None
    raise AssertionError("unreachable")


async def _register(
    session: AsyncSession,
    tenant: uuid.UUID,
    project_name: str,
    document: dict[str, Any],
    archive_previous: bool,
    create_project: bool,
) -> records.RegisterResult:
    project = await _project_for_registration(session, tenant, project_name, create_project)
    name = document["name"]
    group = await session.scalar(
        sa.select(FlowGroup)
        .where(FlowGroup.project_id == project.id, FlowGroup.name == name)
        .with_for_update()
    )
    if group is None:
        group = FlowGroup(
            tenant_id=tenant,
            project_id=project.id,
            name=name,
            schedule=document["schedule"],
            schedule_active=document["schedule"] is not None,
            labels=document["labels"],
        )
        session.add(group)
        await session.flush()
    latest = await session.scalar(
        sa.select(Flow).where(Flow.flow_group_id == group.id).order_by(Flow.version.desc()).limit(1)
    )
    if latest is not None and latest.fingerprint == document["fingerprint"] and not latest.archived:
        return records.RegisterResult(
            flow=rows.flow_version(latest, group, project.name), status="unchanged", archived=[]
        )
    archived: list[uuid.UUID] = []
    if archive_previous:
        archived = list(
            (
                await session.scalars(
                    sa.select(Flow.id).where(
                        Flow.flow_group_id == group.id, Flow.archived.is_(False)
                    )
                )
            ).all()
        )
        if archived:
            await session.execute(
                sa.update(Flow).where(Flow.id.in_(archived)).values(archived=True)
            )
    flow = Flow(
        id=new_id(),
        tenant_id=tenant,
        flow_group_id=group.id,
        project_id=project.id,
        name=name,
        version=(latest.version + 1) if latest is not None else 1,
        description=document["description"],
        spec=document,
        fingerprint=document["fingerprint"],
        parameter_schema=document["parameter_schema"],
        storage=document["storage"],
        labels=document["labels"],
        run_config=document["run_config"],
        archived=False,
    )
    session.add(flow)
    previous_schedule = group.schedule
    # An override made in the UI/API/CLI outlives new versions (schedule_edits).
    if await session.get(ScheduleOverride, group.id) is None:
        group.schedule = document["schedule"]
    group.labels = document["labels"]
    if group.schedule is None:
        group.schedule_active = False
    await session.flush()
    if latest is not None:
        await adopt_new_version(session, tenant, group, flow, previous_schedule)
    tasks = _task_rows(tenant, flow.id, document)
    if tasks:
        await session.execute(sa.insert(Task), tasks)
    record_event(
        session,
        Event(
            "flow.registered",
            str(tenant),
            data={"flow_id": str(flow.id), "flow_group_id": str(group.id), "version": flow.version},
        ),
    )
    return records.RegisterResult(
        flow=rows.flow_version(flow, group, project.name), status="new", archived=archived
    )


async def _version_record(
    session: AsyncSession, flow: Flow, *, full: bool = False
) -> records.FlowVersion:
    group = await session.get_one(FlowGroup, flow.flow_group_id)
    project_name = await session.scalar(
        sa.select(Project.name).where(Project.id == flow.project_id)
    )
    tasks = None
    if full:
        task_rows = await session.scalars(
            sa.select(Task).where(Task.flow_id == flow.id).order_by(Task.slug)
        )
        tasks = [rows.task_info(task) for task in task_rows]
    return rows.flow_version(flow, group, project_name or "", tasks=tasks, with_spec=full)


async def archive_flow(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str
) -> records.FlowVersion:
    """Archive a version (idempotent): it stays readable, but gets no new runs."""
    tenant = as_uuid(tenant_id, "tenant_id")
    flow_uuid = as_uuid(flow_id, "flow_id")
    async with db.transaction() as session:
        flow = await find_flow(session, tenant, flow_uuid, lock=True)
        if not flow.archived:
            flow.archived = True
            await session.flush()
            record_event(
                session, Event("flow.archived", str(tenant), data={"flow_id": str(flow.id)})
            )
        return await _version_record(session, flow)


async def set_schedule_active(
    db: Database, tenant_id: uuid.UUID | str, flow_group_or_flow_id: uuid.UUID | str, active: bool
) -> records.FlowGroup:
    """Turn a flow's schedule on or off; takes a flow group id or any version's id.
    Turning it off deletes the runs the scheduler made that have not started."""
    tenant = as_uuid(tenant_id, "tenant_id")
    some_id = as_uuid(flow_group_or_flow_id, "flow_group_id")
    async with db.transaction() as session:
        group = await session.scalar(
            sa.select(FlowGroup).where(FlowGroup.tenant_id == tenant, FlowGroup.id == some_id)
        )
        if group is None:
            flow = await find_flow(session, tenant, some_id)
            group = await session.get_one(FlowGroup, flow.flow_group_id)
        if active and group.schedule is None:
            raise InvalidInput(f"Flow {group.name!r} has no schedule to activate")
        if group.schedule_active != active:
            group.schedule_active = active
            await session.flush()
            if not active:
                await remove_unstarted_auto_runs(session, tenant, group.id)
            record_event(
                session,
                Event(
                    "flow_group.schedule",
                    str(tenant),
                    data={"flow_group_id": str(group.id), "active": active},
                ),
            )
        return rows.flow_group(group)


async def get_flow(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str
) -> records.FlowVersion:
    """A version with its tasks, edges and full spec."""
    tenant = as_uuid(tenant_id, "tenant_id")
    flow_uuid = as_uuid(flow_id, "flow_id")
    async with db.session() as session:
        flow = await find_flow(session, tenant, flow_uuid)
        return await _version_record(session, flow, full=True)


async def list_flow_tasks(
    db: Database, tenant_id: uuid.UUID | str, flow_id: uuid.UUID | str
) -> list[records.TaskInfo]:
    tenant = as_uuid(tenant_id, "tenant_id")
    flow_uuid = as_uuid(flow_id, "flow_id")
    async with db.session() as session:
        await find_flow(session, tenant, flow_uuid)
        result = await session.scalars(
            sa.select(Task).where(Task.flow_id == flow_uuid).order_by(Task.slug)
        )
        return [rows.task_info(task) for task in result]


async def list_flows(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    project: str | None = None,
    name: str | None = None,
    search: str | None = None,
    include_archived: bool = False,
    order_by: Literal["name", "-created", "created"] | str = "name",
    first: int = 50,
    after: str | None = None,
    count: bool = True,
) -> records.Page[records.FlowVersion]:
    """Flow versions (the active ones unless `include_archived`), filtered and paged."""
    tenant = as_uuid(tenant_id, "tenant_id")
    ordering = ordering_choice(FLOW_ORDERINGS, order_by)
    size = page_size(first)
    statement = (
        sa.select(Flow, FlowGroup, Project.name)
        .join(FlowGroup, FlowGroup.id == Flow.flow_group_id)
        .join(Project, Project.id == Flow.project_id)
        .where(Flow.tenant_id == tenant)
    )
    if not include_archived:
        statement = statement.where(Flow.archived.is_(False))
    if project is not None:
        statement = statement.where(Project.name == project)
    if name is not None:
        statement = statement.where(Flow.name == name)
    if search:
        statement = statement.where(db.config.contains_ci(Flow.name, search))
    async with db.session() as session:
        page = await fetch_page(
            session,
            statement,
            ordering,
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [getattr(row[0], k.column.key) for k in ordering.keys],
        )
    return records.Page(
        items=[
            rows.flow_version(flow, group, project_name) for flow, group, project_name in page.rows
        ],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def list_flow_groups(
    db: Database, tenant_id: uuid.UUID | str, *, project: str | None = None
) -> list[records.FlowGroup]:
    tenant = as_uuid(tenant_id, "tenant_id")
    statement = sa.select(FlowGroup).where(FlowGroup.tenant_id == tenant)
    if project is not None:
        statement = statement.join(Project, Project.id == FlowGroup.project_id).where(
            Project.name == project
        )
    async with db.session() as session:
        result = await session.scalars(statement.order_by(FlowGroup.name, FlowGroup.id))
        return [rows.flow_group(group) for group in result]


__all__ = [
    "archive_flow",
    "get_flow",
    "list_flow_groups",
    "list_flow_tasks",
    "list_flows",
    "register_flow",
    "set_schedule_active",
]
