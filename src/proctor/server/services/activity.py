"""The activity feed: list a team's recent events (newest first, filtered), read one by
id (what a live subscriber does when an event is announced), describe each in a line,
and prune old rows. Rows are written by `proctor.server.database.activity_log`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.activity_log import ACTIVITY_KINDS
from proctor.server.database.models import Activity
from proctor.server.errors import InvalidInput
from proctor.server.services.plumbing import event_log, records
from proctor.server.services.plumbing.validation import as_uuid

ACTIVITY_ORDERING = event_log.newest_first(Activity)
PRUNE_BATCH = event_log.PRUNE_BATCH
#: A family ("agent") stands for each of its kinds ("agent.healthy", ...).
FAMILIES: frozenset[str] = frozenset(kind.split(".", 1)[0] for kind in ACTIVITY_KINDS)


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    id: uuid.UUID
    kind: str
    occurred: datetime
    flow_run_id: uuid.UUID | None
    flow_name: str | None
    message: str
    data: dict[str, Any] = field(default_factory=dict)


def _kind_filter(kinds: Iterable[str]) -> sa.ColumnElement[bool] | None:
    """Whole families by the family column (its index keeps time order), single kinds by
    the kind column; None for no filter."""
    given = list(kinds)
    wanted = expand_kinds(given)  # validates every name
    if not wanted:
        return None
    families = {k.split(".", 1)[0] for k in wanted}
    whole = all(
        {k for k in ACTIVITY_KINDS if k.split(".", 1)[0] == family} <= wanted for family in families
    )
    column, values = (Activity.family, families) if whole else (Activity.kind, set(wanted))
    if len(values) == 1:
        return column == next(iter(values))
    return column.in_(sorted(values))


def expand_kinds(kinds: Iterable[str]) -> frozenset[str]:
    """Exact kinds for the given kinds or families; INVALID_INPUT names the known ones."""
    wanted: set[str] = set()
    for kind in kinds:
        if kind in ACTIVITY_KINDS:
            wanted.add(kind)
        elif kind in FAMILIES:
            wanted.update(k for k in ACTIVITY_KINDS if k.split(".", 1)[0] == kind)
        else:
            raise InvalidInput(
                f"Unknown activity kind {kind!r:.60}; known: "
                f"{', '.join(sorted(FAMILIES | ACTIVITY_KINDS))}",
                details={"field": "kinds"},
            )
    return frozenset(wanted)


def describe(kind: str, data: dict[str, Any], flow_name: str | None) -> str:
    """One line for people: what happened, to what."""
    flow = flow_name or "a flow"
    agent = data.get("name") or "an agent"
    messages = {
        "flow_run.created": f"Run of {flow} scheduled",
        "flow_run.state": f"Run of {flow} is {data.get('state') or 'in a new state'}",
        "flow_run.deleted": "Run deleted",
        "flow.registered": f"{flow} registered (version {data.get('version', '?')})",
        "flow.archived": f"{flow} archived",
        "flow.unarchived": f"{flow} unarchived",
        "flow.deleted": f"{flow} deleted ({data.get('runs', 0)} run(s))",
        "flow_group.schedule": f"Schedule of {flow} turned {'on' if data.get('active') else 'off'}",
        "project.created": f"Project {data.get('name') or ''} created".replace("  ", " "),
        "project.deleted": f"Project {data.get('name') or ''} deleted".replace("  ", " "),
        "agent.registered": f"Agent {agent} registered",
        "agent.stopped": f"Agent {agent} stopped",
        "agent.removed": f"Agent {agent} removed",
        "agent.healthy": f"Agent {agent} is healthy again",
        "agent.unhealthy": f"Agent {agent} stopped heartbeating",
        "sla.breached": f"SLA of {flow} breached ({data.get('kind', '')})",
        "notification.delivered": f"Alert sent by {data.get('automation', 'an automation')}",
        "notification.failed": f"Alert of {data.get('automation', 'an automation')} failed",
    }
    return messages.get(kind, kind)


def _record(row: Activity) -> ActivityRecord:
    data = dict(row.data or {})
    return ActivityRecord(
        id=row.id,
        kind=row.kind,
        occurred=row.occurred,
        flow_run_id=row.flow_run_id,
        flow_name=row.flow_name,
        message=describe(row.kind, data, row.flow_name),
        data=data,
    )


async def list_activity(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    kinds: Iterable[str] = (),
    flow: str | None = None,
    since: datetime | None = None,
    first: int = 50,
    after: str | None = None,
    count: bool = False,
) -> records.Page[ActivityRecord]:
    """The team's activity, newest first; `kinds` (kinds or families), `flow` (a flow's
    name) and `since` (occurred at or after) narrow it."""
    tenant = as_uuid(tenant_id, "tenant_id")
    where = event_log.filters(Activity, equal={Activity.flow_name: flow}, since=since)
    by_kind = _kind_filter(kinds)
    if by_kind is not None:
        where.append(by_kind)
    return await event_log.list_newest_first(
        db, Activity, tenant, where, _record, first=first, after=after, count=count
    )


async def get_activity(
    db: Database, tenant_id: uuid.UUID | str, activity_ids: Iterable[uuid.UUID]
) -> list[ActivityRecord]:
    """The team's rows among `activity_ids`, oldest first (missing ones are skipped)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    ids = list(activity_ids)
    if not ids:
        return []
    async with db.session() as session:
        found = await session.scalars(
            sa.select(Activity)
            .where(Activity.tenant_id == tenant, Activity.id.in_(ids))
            .order_by(Activity.occurred, Activity.id)
        )
        return [_record(row) for row in found]


async def prune_activity(db: Database, *, older_than: datetime, batch: int = PRUNE_BATCH) -> int:
    """Delete every team's rows older than `older_than`, `batch` rows per transaction."""
    return await event_log.prune_older_than(db, Activity, older_than=older_than, batch=batch)


__all__ = [
    "ACTIVITY_ORDERING",
    "FAMILIES",
    "ActivityRecord",
    "describe",
    "expand_kinds",
    "get_activity",
    "list_activity",
    "prune_activity",
]
