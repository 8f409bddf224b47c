"""Slim reads of a flow run's task runs for the UI's run and task-run pages.

The run page of a 10,000-task run must be usable within a second. Typed GraphQL objects
cost the server ~0.25 ms per task run (field by field), so the page reads:

- `task_run_summary`: one entry per task node, its parent task run plus its mapped
  children aggregated by state (two small queries: parents, and children grouped by
  slug and state). The schematic and the Gantt's collapsed rows need nothing more.
- `task_run_rows`: every task run as compact rows (a list of values per run, in the
  order of `ROW_FIELDS`), paged, streamed in after the first screen is drawn.
- `find_task_run`: one task run by id, or by (flow run, slug, map index), for the
  task-run page's deep links.

Every read checks the flow run belongs to the tenant first; task runs themselves are
read by flow run (the tenant index would tempt SQLite's planner into a scan).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import TaskRun
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.pagination import fetch_page
from proctor.server.services.plumbing.validation import as_uuid, page_size
from proctor.server.services.task_runs import TASK_RUN_ORDERINGS

_TR = cast(sa.Table, TaskRun.__table__)

# The columns of a compact row, as the UI names them (camelCase, like the typed fields).
ROW_FIELDS = (
    "id",
    "taskSlug",
    "mapIndex",
    "state",
    "stateType",
    "stateMessage",
    "stateTimestamp",
    "version",
    "runCount",
    "startTime",
    "endTime",
)
_ROW_COLUMNS = (
    _TR.c.id,
    _TR.c.task_slug,
    _TR.c.map_index,
    _TR.c.state,
    _TR.c.state_type,
    _TR.c.state_message,
    _TR.c.state_timestamp,
    _TR.c.version,
    _TR.c.run_count,
    _TR.c.start_time,
    _TR.c.end_time,
)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def compact_row(row: Any) -> list[Any]:
    """A task run as a JSON-ready list in `ROW_FIELDS` order."""
    return [
        str(row.id),
        row.task_slug,
        row.map_index,
        row.state,
        row.state_type,
        row.state_message,
        _iso(row.state_timestamp),
        row.version,
        row.run_count,
        _iso(row.start_time),
        _iso(row.end_time),
    ]


def row_object(row: Any) -> dict[str, Any]:
    """A task run as a JSON object with the `ROW_FIELDS` keys."""
    return dict(zip(ROW_FIELDS, compact_row(row), strict=True))


@dataclass(slots=True)
class ChildrenSummary:
    """A mapped task's children, aggregated: how many are in each state and their span."""

    count: int = 0
    states: dict[str, int] = field(default_factory=dict)
    first_start: datetime | None = None
    last_start: datetime | None = None
    last_end: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "states": self.states,
            "start": _iso(self.first_start),
            "lastStart": _iso(self.last_start),
            "end": _iso(self.last_end),
        }


@dataclass(slots=True)
class TaskSummary:
    """One task node of a run: its own task run (map index -1) and its children."""

    task_slug: str
    parent: dict[str, Any] | None = None
    children: ChildrenSummary | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "taskSlug": self.task_slug,
            "parent": self.parent,
            "children": None if self.children is None else self.children.as_json(),
        }


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


async def task_run_summary(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> list[TaskSummary]:
    """Per task slug (sorted): its parent task run and its children by state."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    parents = sa.select(*_ROW_COLUMNS).where(_TR.c.flow_run_id == run_id, _TR.c.map_index < 0)
    children = (
        sa.select(
            _TR.c.task_slug,
            _TR.c.state,
            sa.func.count().label("n"),
            sa.func.min(_TR.c.start_time).label("first_start"),
            sa.func.max(_TR.c.start_time).label("last_start"),
            sa.func.max(_TR.c.end_time).label("last_end"),
        )
        .where(_TR.c.flow_run_id == run_id, _TR.c.map_index >= 0)
        .group_by(_TR.c.task_slug, _TR.c.state)
    )
    async with db.session() as session:
        await find_flow_run(session, tenant, run_id)
        parent_rows = (await session.execute(parents)).all()
        child_rows = (await session.execute(children)).all()
    found: dict[str, TaskSummary] = {}
    for row in parent_rows:
        found[row.task_slug] = TaskSummary(row.task_slug, parent=row_object(row))
    for row in child_rows:
        entry = found.setdefault(row.task_slug, TaskSummary(row.task_slug))
        group = entry.children = entry.children or ChildrenSummary()
        group.count += row.n
        group.states[row.state] = group.states.get(row.state, 0) + row.n
        group.first_start = _earliest(group.first_start, row.first_start)
        group.last_start = _latest(group.last_start, row.last_start)
        group.last_end = _latest(group.last_end, row.last_end)
    return [found[slug] for slug in sorted(found)]


async def task_run_rows(
    db: Database,
    tenant_id: uuid.UUID | str,
    flow_run_id: uuid.UUID | str,
    *,
    first: int | None = None,
    after: str | None = None,
    task_slug: str | None = None,
    mapped: bool = False,
    count: bool = False,
) -> records.Page[list[Any]]:
    """A run's task runs as compact rows, by task slug then map index, paged; only
    `task_slug`'s with it, and only mapped children (map index >= 0) with `mapped`."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    ordering = TASK_RUN_ORDERINGS["task_slug"]
    size = page_size(first, default=1000)
    statement = sa.select(*_ROW_COLUMNS).where(_TR.c.flow_run_id == run_id)
    if task_slug is not None:
        statement = statement.where(_TR.c.task_slug == task_slug)
    if mapped:
        statement = statement.where(_TR.c.map_index >= 0)
    async with db.session() as session:
        await find_flow_run(session, tenant, run_id)
        page = await fetch_page(
            session,
            statement,
            ordering,
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [row.task_slug, row.map_index, row.id],
        )
    return records.Page(
        items=[compact_row(row) for row in page.rows],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def find_task_run(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    task_run_id: uuid.UUID | str | None = None,
    flow_run_id: uuid.UUID | str | None = None,
    task_slug: str | None = None,
    map_index: int | None = None,
) -> records.TaskRun:
    """One task run: by `task_run_id`, or by `flow_run_id` + `task_slug` (+ `map_index`,
    default -1). Another team's task run is NOT_FOUND, like one that does not exist."""
    tenant = as_uuid(tenant_id, "tenant_id")
    if task_run_id is not None:
        if flow_run_id is not None or task_slug is not None or map_index is not None:
            raise InvalidInput(
                "Give either a task run id, or a flow run id with a task slug, not both",
                details={"field": "id"},
            )
        wanted = as_uuid(task_run_id, "id")
        statement = sa.select(_TR).where(_TR.c.tenant_id == tenant, _TR.c.id == wanted)
        missing = f"No task run {wanted}"
        details: dict[str, Any] = {"task_run_id": str(wanted)}
    elif flow_run_id is not None and task_slug is not None:
        run_id = as_uuid(flow_run_id, "flow_run_id")
        index = -1 if map_index is None else map_index
        if isinstance(index, bool) or not isinstance(index, int) or index < -1:
            raise InvalidInput("map_index must be -1 or more", details={"field": "map_index"})
        statement = sa.select(_TR).where(
            _TR.c.flow_run_id == run_id, _TR.c.task_slug == task_slug, _TR.c.map_index == index
        )
        missing = f"No task run {task_slug}[{index}] in flow run {run_id}"
        details = {"flow_run_id": str(run_id), "task_slug": task_slug, "map_index": index}
    else:
        raise InvalidInput(
            "Give a task run id, or a flow run id and a task slug", details={"field": "id"}
        )
    async with db.session() as session:
        if task_run_id is None:
            await find_flow_run(session, tenant, run_id)
        row = (await session.execute(statement)).first()
    if row is None:
        raise NotFound(missing, details=details)
    return rows.task_run(row)


__all__ = [
    "ROW_FIELDS",
    "ChildrenSummary",
    "TaskSummary",
    "compact_row",
    "find_task_run",
    "row_object",
    "task_run_rows",
    "task_run_summary",
]
