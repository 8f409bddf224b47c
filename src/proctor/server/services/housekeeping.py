"""Housekeeping: delete a flow (every version, or one), a project, or archive a flow
instead, always with the number of runs that go with it known first.

The rules (docs/server.md, "Archive or delete"):

- `preview_deletion` counts what a deletion would remove: flows, versions, runs, and
  runs *in progress* (Submitted, Running, Paused, Cancelling).
- A deletion refuses (CONFLICT, with the counts in its details) while runs are in
  progress, unless `force`: their processes would report to rows that are gone. Runs
  not started yet (Scheduled, Pending) go with the flow.
- Deleting a flow's last version deletes the flow (its schedule and identity too).
- Archiving a flow archives every version and turns its schedule off (the runs the
  scheduler made that have not started are removed, as when a schedule is turned off):
  it is hidden from lists unless asked for, gets no new runs, and keeps its runs, which
  stay readable. Unarchiving makes the newest version active again; the schedule stays
  off until turned back on.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.models import Flow, FlowGroup, FlowRun, Project
from proctor.server.errors import Conflict, InvalidInput
from proctor.server.events import Event
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow, find_flow_group, find_project
from proctor.server.services.plumbing.validation import as_uuid
from proctor.server.services.schedules import remove_unstarted_auto_runs

#: Runs whose process is (or may be) alive: a deletion waits for them unless forced.
IN_PROGRESS = ("Submitted", "Running", "Paused", "Cancelling")


@dataclass(frozen=True, slots=True)
class DeletionCounts:
    """What a deletion removes (or removed): `kind` is "flow", "version" or "project"."""

    kind: str
    name: str
    flows: int
    versions: int
    runs: int
    runs_in_progress: int
    version: int | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str
    name: str
    condition_flow: sa.ColumnElement[bool]
    condition_run: sa.ColumnElement[bool]
    version: int | None = None


async def _target(
    session: AsyncSession,
    tenant: uuid.UUID,
    *,
    flow_group_id: str | None,
    flow_id: str | None,
    project: str | None,
) -> _Target:
    given = [value for value in (flow_group_id, flow_id, project) if value]
    if len(given) != 1:
        raise InvalidInput(
            "Give exactly one of flowGroupId (a whole flow), flowId (one version) or project",
            details={"field": "flowGroupId"},
        )
    if flow_group_id:
        group = await find_flow_group(session, tenant, as_uuid(flow_group_id, "flow_group_id"))
        return _Target(
            "flow", group.name, Flow.flow_group_id == group.id, FlowRun.flow_group_id == group.id
        )
    if flow_id:
        flow = await find_flow(session, tenant, as_uuid(flow_id, "flow_id"))
        return _Target(
            "version",
            flow.name,
            Flow.id == flow.id,
            FlowRun.flow_id == flow.id,
            version=flow.version,
        )
    found = await find_project(session, tenant, str(project))
    return _Target(
        "project",
        found.name,
        Flow.project_id == found.id,
        FlowRun.flow_id.in_(sa.select(Flow.id).where(Flow.project_id == found.id)),
    )


async def _counts(session: AsyncSession, tenant: uuid.UUID, target: _Target) -> DeletionCounts:
    flows: int | None
    flows, versions = (
        await session.execute(
            sa.select(sa.func.count(sa.distinct(Flow.flow_group_id)), sa.func.count()).where(
                Flow.tenant_id == tenant, target.condition_flow
            )
        )
    ).one()
    runs, in_progress = (
        await session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count().filter(FlowRun.state_type.in_(IN_PROGRESS)),
            ).where(FlowRun.tenant_id == tenant, target.condition_run)
        )
    ).one()
    if target.kind == "project":
        flows = await session.scalar(  # every flow of the project, with or without versions
            sa.select(sa.func.count())
            .select_from(FlowGroup)
            .join(Project, Project.id == FlowGroup.project_id)
            .where(FlowGroup.tenant_id == tenant, Project.name == target.name)
        )
    return DeletionCounts(
        kind=target.kind,
        name=target.name,
        flows=int(flows or 0),
        versions=int(versions or 0),
        runs=int(runs or 0),
        runs_in_progress=int(in_progress or 0),
        version=target.version,
    )


async def preview_deletion(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_group_id: str | None = None,
    flow_id: str | None = None,
    project: str | None = None,
) -> DeletionCounts:
    """What deleting the flow, the version or the project (by id or name) would remove."""
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        target = await _target(
            session, tenant, flow_group_id=flow_group_id, flow_id=flow_id, project=project
        )
        return await _counts(session, tenant, target)


def _refuse_in_progress(counts: DeletionCounts) -> None:
    raise Conflict(
        f"{counts.runs_in_progress} run(s) of {counts.kind} {counts.name!r} are in progress; "
        "wait for them, cancel them, or force the deletion",
        details={"field": "force", **{k: v for k, v in asdict(counts).items() if v is not None}},
    )


async def delete(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_group_id: str | None = None,
    flow_id: str | None = None,
    project: str | None = None,
    force: bool = False,
) -> DeletionCounts:
    """Delete the flow (every version), one version, or the project, with their runs;
    returns what went. CONFLICT while runs are in progress unless `force`."""
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.transaction() as session:
        target = await _target(
            session, tenant, flow_group_id=flow_group_id, flow_id=flow_id, project=project
        )
        counts = await _counts(session, tenant, target)
        if counts.runs_in_progress and not force:
            _refuse_in_progress(counts)
        await _delete_rows(session, tenant, target, flow_group_id, flow_id)
        record_event(session, _deleted_event(tenant, counts, flow_group_id, flow_id))
    return counts


async def _delete_rows(
    session: AsyncSession,
    tenant: uuid.UUID,
    target: _Target,
    flow_group_id: str | None,
    flow_id: str | None,
) -> None:
    # Runs first, explicitly: the foreign keys cascade too, but a plain DELETE of the
    # runs is what both databases plan well at 100,000 rows.
    await session.execute(
        sa.delete(FlowRun)
        .where(FlowRun.tenant_id == tenant, target.condition_run)
        .execution_options(synchronize_session=False)
    )
    if target.kind == "project":
        await session.execute(
            sa.delete(Project).where(Project.tenant_id == tenant, Project.name == target.name)
        )
    elif target.kind == "flow":
        await session.execute(
            sa.delete(FlowGroup).where(
                FlowGroup.tenant_id == tenant, FlowGroup.id == as_uuid(flow_group_id, "id")
            )
        )
    else:
        flow = await find_flow(session, tenant, as_uuid(flow_id, "flow_id"))
        group_id = flow.flow_group_id
        await session.execute(sa.delete(Flow).where(Flow.id == flow.id))
        left = await session.scalar(
            sa.select(sa.func.count()).select_from(Flow).where(Flow.flow_group_id == group_id)
        )
        if not left:  # the last version: the flow itself goes
            await session.execute(sa.delete(FlowGroup).where(FlowGroup.id == group_id))


def _deleted_event(
    tenant: uuid.UUID, counts: DeletionCounts, flow_group_id: str | None, flow_id: str | None
) -> Event:
    data: dict[str, Any] = {"flow_name": counts.name, "runs": counts.runs}
    if counts.kind == "project":
        return Event(
            "project.deleted", str(tenant), data={"name": counts.name, "runs": counts.runs}
        )
    if flow_group_id:
        data["flow_group_id"] = str(flow_group_id)
    if counts.version is not None:
        data["version"] = counts.version
        data["flow_id"] = str(flow_id)
    return Event("flow.deleted", str(tenant), data=data)


async def set_archived(
    db: Database, tenant_id: uuid.UUID | str, flow_group_id: uuid.UUID | str, archived: bool
) -> records.FlowGroup:
    """Archive every version of a flow (schedule off) or make its newest version active
    again; idempotent."""
    tenant = as_uuid(tenant_id, "tenant_id")
    group_id = as_uuid(flow_group_id, "flow_group_id")
    async with db.transaction() as session:
        group = await find_flow_group(session, tenant, group_id)
        changed = await (_archive(session, group) if archived else _unarchive(session, group))
        if changed:
            record_event(
                session,
                Event(
                    "flow.archived" if archived else "flow.unarchived",
                    str(tenant),
                    data={"flow_group_id": str(group.id), "flow_name": group.name},
                ),
            )
        return rows.flow_group(group)


async def _archive(session: AsyncSession, group: FlowGroup) -> bool:
    result: Any = await session.execute(
        sa.update(Flow)
        .where(Flow.flow_group_id == group.id, Flow.archived.is_(False))
        .values(archived=True)
        .execution_options(synchronize_session=False)
    )
    changed = bool(result.rowcount) or group.schedule_active
    if group.schedule_active:
        group.schedule_active = False
        await session.flush()
        await remove_unstarted_auto_runs(session, group.tenant_id, group.id)
    return changed


async def _unarchive(session: AsyncSession, group: FlowGroup) -> bool:
    active = await session.scalar(
        sa.select(sa.func.count())
        .select_from(Flow)
        .where(Flow.flow_group_id == group.id, Flow.archived.is_(False))
    )
    if active:
        return False
    newest = await session.scalar(
        sa.select(Flow).where(Flow.flow_group_id == group.id).order_by(Flow.version.desc()).limit(1)
    )
    if newest is None:
        return False
    newest.archived = False
    await session.flush()
    return True


__all__ = ["IN_PROGRESS", "DeletionCounts", "delete", "preview_deletion", "set_archived"]
