"""Finding rows by id or name within a tenant, raising `NotFound` uniformly.

A row of another tenant is reported exactly like a missing one.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.models import Flow, FlowGroup, FlowRun, Project
from proctor.server.errors import NotFound


def _maybe_uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


async def find_project(
    session: AsyncSession, tenant: uuid.UUID, project: uuid.UUID | str
) -> Project:
    """By id, or by name when `project` is not a UUID."""
    as_id = _maybe_uuid(project)
    condition = Project.id == as_id if as_id is not None else Project.name == project
    row = await session.scalar(sa.select(Project).where(Project.tenant_id == tenant, condition))
    if row is None:
        raise NotFound(f"No project {project!r}", details={"project": str(project)})
    return row


async def find_flow(
    session: AsyncSession, tenant: uuid.UUID, flow_id: uuid.UUID, *, lock: bool = False
) -> Flow:
    statement = sa.select(Flow).where(Flow.tenant_id == tenant, Flow.id == flow_id)
    if lock:
        statement = statement.with_for_update()
    row = await session.scalar(statement)
    if row is None:
        raise NotFound(f"No flow {flow_id}", details={"flow_id": str(flow_id)})
    return row


async def find_flow_group(
    session: AsyncSession, tenant: uuid.UUID, flow_group_id: uuid.UUID
) -> FlowGroup:
    row = await session.scalar(
        sa.select(FlowGroup).where(FlowGroup.tenant_id == tenant, FlowGroup.id == flow_group_id)
    )
    if row is None:
        raise NotFound(
            f"No flow group {flow_group_id}", details={"flow_group_id": str(flow_group_id)}
        )
    return row


async def find_flow_run(
    session: AsyncSession, tenant: uuid.UUID, flow_run_id: uuid.UUID, *, lock: bool = False
) -> tuple[FlowRun, str]:
    """The flow run and its flow's name."""
    statement = (
        sa.select(FlowRun, Flow.name)
        .join(Flow, Flow.id == FlowRun.flow_id)
        .where(FlowRun.tenant_id == tenant, FlowRun.id == flow_run_id)
    )
    if lock:
        statement = statement.with_for_update(of=FlowRun)
    found = (await session.execute(statement)).first()
    if found is None:
        raise NotFound(f"No flow run {flow_run_id}", details={"flow_run_id": str(flow_run_id)})
    return found[0], found[1]


__all__ = ["find_flow", "find_flow_group", "find_flow_run", "find_project"]
