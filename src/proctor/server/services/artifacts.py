"""Artifacts of task runs: batched writes from run processes, and reads for the API.

A run process sends artifacts in its report batches (`writeArtifacts`), after the task
states of the same request, so the task run a new artifact belongs to usually exists and
its id is stored. The engine makes each artifact's id, so a later update or deletion
(1.x `update_markdown_artifact(id, ...)`, `delete_artifact(id)`) names the same row: an
item whose id exists in the team replaces that row's data, one marked `deleted` removes it.

Reads: a flow run's or a task run's artifacts, and the team's artifacts filtered by key,
type or run, optionally only the latest per key (the Artifacts page), as a list or in
pages with cursors (`page_artifacts`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.core.artifacts import (
    ARTIFACT_TYPES,
    MAX_ARTIFACT_BYTES,
    MAX_DESCRIPTION_LENGTH,
    MAX_KEY_LENGTH,
)
from proctor.server.database import Database, record_event
from proctor.server.database.models import Artifact, Flow, FlowRun, TaskRun
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.services.plumbing.inputs import UuidCache, optional_int, slug_arg
from proctor.server.services.plumbing.pagination import Ordering, SortKey, fetch_page
from proctor.server.services.plumbing.records import Page
from proctor.server.services.plumbing.validation import as_uuid, batch_size, page_size

_FIELDS = frozenset(
    {"flowRunId", "id", "type", "data", "key", "description", "taskSlug", "mapIndex", "deleted"}
)


@dataclass(frozen=True, slots=True)
class ArtifactRecord:
    id: uuid.UUID
    flow_run_id: uuid.UUID
    task_run_id: uuid.UUID | None
    task_slug: str | None
    map_index: int | None
    key: str | None
    type: str
    description: str | None
    data: dict[str, Any]
    created: datetime
    updated: datetime
    flow_run_name: str | None = None
    flow_name: str | None = None


@dataclass(frozen=True, slots=True)
class _Item:
    id: uuid.UUID
    flow_run_id: uuid.UUID
    type: str
    data: dict[str, Any]
    key: str | None
    description: str | None
    task_slug: str | None
    map_index: int | None
    deleted: bool


def _text(value: Any, what: str, limit: int, index: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(
            f"Item {index}: {what} must be text of at most {limit} characters",
            details={"index": index, "field": what},
        )
    return value


def _data(item: dict[str, Any], kind: str, index: int) -> dict[str, Any]:
    data = item.get("data")
    if not isinstance(data, dict):
        raise InvalidInput(f"Item {index}: data must be an object", details={"index": index})
    size = len(json.dumps(data, separators=(",", ":")).encode())
    if size > MAX_ARTIFACT_BYTES:
        raise InvalidInput(
            f"Item {index}: the {kind} artifact is {size:,} bytes as JSON; artifacts are at "
            f"most {MAX_ARTIFACT_BYTES:,}",
            details={"index": index, "field": "data", "limit": MAX_ARTIFACT_BYTES},
        )
    return data


def _item(raw: Any, index: int, ids: UuidCache) -> _Item:
    if not isinstance(raw, dict):
        raise InvalidInput(f"Item {index} must be an object", details={"index": index})
    unknown = set(raw) - _FIELDS
    if unknown:
        raise InvalidInput(f"Item {index}: unknown field(s) {sorted(unknown)}")
    deleted = raw.get("deleted") is True
    kind = raw.get("type")
    if not deleted and kind not in ARTIFACT_TYPES:
        raise InvalidInput(
            f"Item {index}: type must be one of {', '.join(ARTIFACT_TYPES)}",
            details={"index": index, "field": "type"},
        )
    slug = raw.get("taskSlug")
    return _Item(
        id=ids(raw.get("id"), "id", index),
        flow_run_id=ids(raw.get("flowRunId"), "flowRunId", index),
        type=str(kind or "markdown"),
        data={} if deleted else _data(raw, str(kind), index),
        key=_text(raw.get("key"), "key", MAX_KEY_LENGTH, index),
        description=_text(raw.get("description"), "description", MAX_DESCRIPTION_LENGTH, index),
        task_slug=None if slug is None else slug_arg(slug, index),
        map_index=optional_int(raw.get("mapIndex"), "mapIndex", index, minimum=-1),
        deleted=deleted,
    )


def parse_items(raw: Sequence[Any]) -> list[_Item]:
    """Checked `writeArtifacts` items (an `InvalidInput` names the first bad one)."""
    batch_size(len(raw), "artifacts")
    ids = UuidCache()
    return [_item(item, index, ids) for index, item in enumerate(raw)]


async def _task_run_ids(
    session: AsyncSession, tenant: uuid.UUID, items: Sequence[_Item]
) -> dict[tuple[uuid.UUID, str, int], uuid.UUID]:
    wanted = {(i.flow_run_id, i.task_slug) for i in items if i.task_slug is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        sa.select(TaskRun.id, TaskRun.flow_run_id, TaskRun.task_slug, TaskRun.map_index).where(
            TaskRun.tenant_id == tenant,
            TaskRun.flow_run_id.in_({run for run, _ in wanted}),
            TaskRun.task_slug.in_({slug for _, slug in wanted}),
        )
    )
    return {(run, slug, index): task_run for task_run, run, slug, index in rows.all()}


async def write_artifacts(db: Database, tenant_id: uuid.UUID | str, raw: Sequence[Any]) -> int:
    """Store, replace or delete a batch of artifacts in one transaction; returns how many
    items were applied. Every flow run named must be the team's (`NotFound`)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    items = parse_items(raw)
    if not items:
        return 0
    run_ids = sorted({item.flow_run_id for item in items})
    now = datetime.now(UTC)

    async def work(session: AsyncSession) -> int:
        found = set(
            (
                await session.scalars(
                    sa.select(FlowRun.id).where(
                        FlowRun.tenant_id == tenant, FlowRun.id.in_(run_ids)
                    )
                )
            ).all()
        )
        missing = [str(run) for run in run_ids if run not in found]
        if missing:
            raise NotFound(f"No flow run {missing[0]}", details={"flow_run_ids": missing[:20]})
        task_runs = await _task_run_ids(session, tenant, items)
        existing = {
            row.id: row
            for row in (
                await session.scalars(
                    sa.select(Artifact).where(Artifact.id.in_({item.id for item in items}))
                )
            ).all()
        }
        for index, item in enumerate(items):
            # A microsecond apart: newest-first reads keep the order they were published in.
            stamp = now + timedelta(microseconds=index)
            await _apply(session, tenant, item, existing, task_runs, stamp)
        for run in run_ids:
            record_event(
                session, Event("artifacts.written", str(tenant), flow_run_id=str(run), data={})
            )
        return len(items)

    return await db.run_in_transaction(work)


async def _apply(
    session: AsyncSession,
    tenant: uuid.UUID,
    item: _Item,
    existing: dict[uuid.UUID, Artifact],
    task_runs: dict[tuple[uuid.UUID, str, int], uuid.UUID],
    now: datetime,
) -> None:
    row = existing.get(item.id)
    if row is not None and row.tenant_id != tenant:
        raise NotFound(f"No artifact {item.id}")
    if item.deleted:
        if row is not None:
            await session.delete(row)
            existing.pop(item.id, None)
        return
    if row is not None:  # an update: new data, the rest as first published unless given
        row.type, row.data, row.updated = item.type, item.data, now
        if item.description is not None:
            row.description = item.description
        return
    index = -1 if item.map_index is None else item.map_index
    task_run = None
    if item.task_slug is not None:
        task_run = task_runs.get((item.flow_run_id, item.task_slug, index))
    row = Artifact(
        id=item.id,
        tenant_id=tenant,
        flow_run_id=item.flow_run_id,
        task_run_id=task_run,
        task_slug=item.task_slug,
        map_index=None if item.task_slug is None else index,
        key=item.key,
        type=item.type,
        description=item.description,
        data=item.data,
        created=now,
        updated=now,
    )
    session.add(row)
    existing[item.id] = row


def _record(row: Artifact, run_name: str | None = None, flow: str | None = None) -> ArtifactRecord:
    return ArtifactRecord(
        id=row.id,
        flow_run_id=row.flow_run_id,
        task_run_id=row.task_run_id,
        task_slug=row.task_slug,
        map_index=row.map_index,
        key=row.key,
        type=row.type,
        description=row.description,
        data=row.data,
        created=row.created,
        updated=row.updated,
        flow_run_name=run_name,
        flow_name=flow,
    )


@dataclass(frozen=True, slots=True)
class ArtifactFilter:
    """Which of the team's artifacts a list shows (see `list_artifacts`)."""

    flow_run_id: uuid.UUID | str | None = None
    task_slug: str | None = None
    map_index: int | None = None
    key: str | None = None
    type_: str | None = None
    latest_per_key: bool = False


# Newest first; the id breaks ties (a batch's artifacts are a microsecond apart, but
# two batches may land in the same one).
NEWEST_FIRST = Ordering(
    "-created", (SortKey(Artifact.created, descending=True), SortKey(Artifact.id, descending=True))
)


def _statement(tenant: uuid.UUID, wanted: ArtifactFilter) -> Any:
    """A select of (Artifact, run name, flow name) narrowed by `wanted`, not ordered."""
    if wanted.type_ is not None and wanted.type_ not in ARTIFACT_TYPES:
        raise InvalidInput(
            f"type must be one of {', '.join(ARTIFACT_TYPES)}", details={"field": "type"}
        )
    where: list[Any] = [Artifact.tenant_id == tenant]
    if wanted.flow_run_id is not None:
        where.append(Artifact.flow_run_id == as_uuid(wanted.flow_run_id, "flow_run_id"))
    if wanted.task_slug is not None:
        where.append(Artifact.task_slug == wanted.task_slug)
        where.append(Artifact.map_index == (-1 if wanted.map_index is None else wanted.map_index))
    if wanted.key is not None:
        where.append(Artifact.key == wanted.key)
    if wanted.type_ is not None:
        where.append(Artifact.type == wanted.type_)
    if wanted.latest_per_key:
        rank = (
            sa.func.row_number()
            .over(
                partition_by=Artifact.key,
                order_by=(Artifact.created.desc(), Artifact.id.desc()),
            )
            .label("rank")
        )
        newest = sa.select(Artifact.id, rank).where(*where, Artifact.key.is_not(None)).subquery()
        where = [Artifact.id.in_(sa.select(newest.c.id).where(newest.c.rank == 1))]
    return (
        sa.select(Artifact, FlowRun.name, Flow.name)
        .join(FlowRun, FlowRun.id == Artifact.flow_run_id)
        .join(Flow, Flow.id == FlowRun.flow_id)
        .where(*where)
    )


async def list_artifacts(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    flow_run_id: uuid.UUID | str | None = None,
    task_slug: str | None = None,
    map_index: int | None = None,
    key: str | None = None,
    type_: str | None = None,
    latest_per_key: bool = False,
    first: int | None = None,
    offset: int = 0,
) -> list[ArtifactRecord]:
    """The team's artifacts, newest first, with their run's and flow's names.

    `latest_per_key` keeps only the newest artifact of each key (artifacts without a key
    are left out then): the Artifacts page's list. `page_artifacts` is the same list
    with cursors, for lists longer than a page.
    """
    tenant = as_uuid(tenant_id, "tenant_id")
    if offset < 0:
        raise InvalidInput("offset must be 0 or more", details={"field": "offset"})
    wanted = ArtifactFilter(flow_run_id, task_slug, map_index, key, type_, latest_per_key)
    statement = (
        _statement(tenant, wanted)
        .order_by(*NEWEST_FIRST.order_by())
        .limit(page_size(100 if first is None else first))
        .offset(offset)
    )
    async with db.session() as session:
        rows = (await session.execute(statement)).all()
    return [_record(row, run_name, flow) for row, run_name, flow in rows]


async def page_artifacts(
    db: Database,
    tenant_id: uuid.UUID | str,
    wanted: ArtifactFilter,
    *,
    first: int | None = None,
    after: str | None = None,
) -> Page[ArtifactRecord]:
    """One page of `list_artifacts`' list (newest first): keyset cursors, so paging on
    while tasks publish neither repeats nor skips one, and a later page costs what the
    first does."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = page_size(100 if first is None else first)
    async with db.session() as session:
        page = await fetch_page(
            session,
            _statement(tenant, wanted),
            NEWEST_FIRST,
            first=size,
            after=after,
            sort_values=lambda row: (row[0].created, row[0].id),
        )
    return Page(
        items=[_record(row, run_name, flow) for row, run_name, flow in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


__all__ = [
    "NEWEST_FIRST",
    "ArtifactFilter",
    "ArtifactRecord",
    "list_artifacts",
    "page_artifacts",
    "parse_items",
    "write_artifacts",
]
