"""Projects: named folders of flows within a tenant."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from proctor.server.database import Database, record_event
from proctor.server.database.models import Flow, FlowGroup, FlowRun, Project
from proctor.server.errors import Conflict
from proctor.server.events import Event
from proctor.server.services.housekeeping import IN_PROGRESS
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_project
from proctor.server.services.plumbing.tenants import require_tenant
from proctor.server.services.plumbing.validation import as_uuid, name_arg


async def create_project(
    db: Database, tenant_id: uuid.UUID | str, name: str, description: str | None = None
) -> records.Project:
    """Create a project; `Conflict` if the tenant already has one by that name."""
    tenant = as_uuid(tenant_id, "tenant_id")
    name = name_arg(name, "name")
    try:
        async with db.transaction() as session:
            await require_tenant(session, tenant)
            exists = await session.scalar(
                sa.select(Project.id).where(Project.tenant_id == tenant, Project.name == name)
            )
            if exists is not None:
                raise Conflict(f"Project {name!r} already exists", details={"name": name})
            project = Project(tenant_id=tenant, name=name, description=description)
            session.add(project)
            await session.flush()
            record_event(
                session,
                Event(
                    "project.created",
                    str(tenant),
                    data={"project_id": str(project.id), "name": name},
                ),
            )
            result = rows.project(project)
    except sa_exc.IntegrityError:  # a concurrent create won the race (PostgreSQL)
        raise Conflict(f"Project {name!r} already exists", details={"name": name}) from None
    return result


async def list_projects(db: Database, tenant_id: uuid.UUID | str) -> list[records.Project]:
    tenant = as_uuid(tenant_id, "tenant_id")
    flow_count: Any = (
        sa.select(sa.func.count(FlowGroup.id))
        .where(FlowGroup.project_id == Project.id)
        .scalar_subquery()
    )
    async with db.session() as session:
        result = await session.execute(
            sa.select(Project, flow_count).where(Project.tenant_id == tenant).order_by(Project.name)
        )
        return [rows.project(project, count) for project, count in result.all()]


async def get_project(
    db: Database, tenant_id: uuid.UUID | str, project: uuid.UUID | str
) -> records.Project:
    """A project by id or by name."""
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        return rows.project(await find_project(session, tenant, project))


async def delete_project(
    db: Database, tenant_id: uuid.UUID | str, project_id: uuid.UUID | str, *, force: bool = False
) -> bool:
    """Delete a project with its flows and their runs; False if there was none.
    CONFLICT while some of its runs are in progress, unless `force` (see
    `services.housekeeping`)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    project = as_uuid(project_id, "project_id")
    async with db.transaction() as session:
        in_progress = await session.scalar(
            sa.select(sa.func.count())
            .select_from(FlowRun)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(
                Flow.tenant_id == tenant,
                Flow.project_id == project,
                FlowRun.state_type.in_(IN_PROGRESS),
            )
        )
        if in_progress and not force:
            raise Conflict(
                f"{in_progress} run(s) of this project are in progress; wait for them, "
                "cancel them, or force the deletion",
                details={"field": "force", "runs_in_progress": int(in_progress)},
            )
        name = await session.scalar(
            sa.select(Project.name).where(Project.tenant_id == tenant, Project.id == project)
        )
        result: Any = await session.execute(
            sa.delete(Project).where(Project.tenant_id == tenant, Project.id == project)
        )
        deleted = bool(result.rowcount)
        if deleted:
            record_event(
                session,
                Event(
                    "project.deleted",
                    str(tenant),
                    data={"project_id": str(project), "name": name or ""},
                ),
            )
    return deleted


__all__ = ["create_project", "delete_project", "get_project", "list_projects"]
