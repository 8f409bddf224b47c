"""The audit log: write events in batches, list them with filters, prune old ones.

Events are written by the API's audit extension (`proctor.server.api.audit`) through an
`AuditWriter` (`services.audit_writer`), never by the services themselves, so every
mutation is covered without code of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import AuditEvent
from proctor.server.services import records
from proctor.server.services.pagination import Ordering, SortKey, fetch_page
from proctor.server.services.validation import as_uuid, page_size

AUDIT_ORDERING = Ordering(
    "-occurred", (SortKey(AuditEvent.occurred, True), SortKey(AuditEvent.id, True))
)
PRUNE_BATCH = 5000


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit event as written and listed."""

    tenant_id: uuid.UUID
    action: str
    occurred: datetime
    actor_kind: str | None = None
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    object_type: str | None = None
    object_id: str | None = None
    success: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID | None = None

    def row(self) -> dict[str, Any]:
        from proctor.server.database.ids import new_id

        return {
            "id": self.id or new_id(),
            "tenant_id": self.tenant_id,
            "actor_kind": self.actor_kind,
            "actor_user_id": self.actor_user_id,
            "actor_api_key_id": self.actor_api_key_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "success": self.success,
            "details": self.details,
            "occurred": self.occurred,
        }


async def write_audit_events(db: Database, events: Sequence[AuditRecord]) -> int:
    """Insert `events` in one transaction (one executemany)."""
    if not events:
        return 0
    async with db.transaction() as session:
        await session.execute(sa.insert(AuditEvent), [event.row() for event in events])
    return len(events)


def _actor_filter(actor: str) -> sa.ColumnElement[bool]:
    """`local`/`session`/`api_key` (a kind), `user:<id>`, `api_key:<id>` or a bare id."""
    kind, _, rest = actor.partition(":")
    if not rest and kind in ("local", "session", "api_key", "anonymous"):
        return AuditEvent.actor_kind == kind
    text = rest if rest else actor
    found = as_uuid(text, "actor")
    if kind == "user":
        return AuditEvent.actor_user_id == found
    if kind == "api_key":
        return AuditEvent.actor_api_key_id == found
    return sa.or_(AuditEvent.actor_user_id == found, AuditEvent.actor_api_key_id == found)


#: What agents and run processes send all the time (heartbeats, claims, task states, log
#: lines): kept out of the audit log's default view. A run's own state changes
#: (`setFlowRunStates`) are few and also made by people, so they stay in it.
MACHINE_ACTIONS = frozenset(
    {
        "agentHeartbeat",
        "claimFlowRuns",
        "createTaskRuns",
        "heartbeatFlowRuns",
        "registerAgent",
        "setTaskRunStates",
        "stopAgent",
        "writeLogs",
    }
)


async def list_audit_events(
    db: Database,
    tenant_id: uuid.UUID | str,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    machine: bool | None = None,
    first: int = 100,
    after: str | None = None,
    count: bool = True,
) -> records.Page[AuditRecord]:
    """The team's audit events, newest first, filtered (every filter is an equality
    except `since` <= occurred < `until`; `machine`: only (True) or no (False) machine
    traffic, the `MACHINE_ACTIONS` agents and run processes send all the time)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    size = page_size(first)
    statement = sa.select(AuditEvent).where(AuditEvent.tenant_id == tenant)
    if actor:
        statement = statement.where(_actor_filter(actor))
    if action:
        statement = statement.where(AuditEvent.action == action)
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    if object_id:
        statement = statement.where(AuditEvent.object_id == object_id)
    if since is not None:
        statement = statement.where(AuditEvent.occurred >= since)
    if until is not None:
        statement = statement.where(AuditEvent.occurred < until)
    if machine is not None:
        is_machine = AuditEvent.action.in_(sorted(MACHINE_ACTIONS))
        statement = statement.where(is_machine if machine else ~is_machine)
    async with db.session() as session:
        page = await fetch_page(
            session,
            statement,
            AUDIT_ORDERING,
            first=size,
            after=after,
            count=count,
            sort_values=lambda row: [row[0].occurred, row[0].id],
        )
    return records.Page(
        items=[
            AuditRecord(
                id=event.id,
                tenant_id=event.tenant_id,
                action=event.action,
                occurred=event.occurred,
                actor_kind=event.actor_kind,
                actor_user_id=event.actor_user_id,
                actor_api_key_id=event.actor_api_key_id,
                object_type=event.object_type,
                object_id=event.object_id,
                success=event.success,
                details=event.details or {},
            )
            for (event,) in page.rows
        ],
        end_cursor=page.end_cursor,
        has_next_page=page.has_next_page,
        total_count=page.total_count,
    )


async def prune_audit_events(
    db: Database, *, older_than: datetime, batch: int = PRUNE_BATCH
) -> int:
    """Delete every team's events that occurred before `older_than`, `batch` rows per
    transaction (a large backlog never holds the write lock for long)."""
    deleted = 0
    while True:
        async with db.transaction() as session:
            doomed = (
                sa.select(AuditEvent.id)
                .where(AuditEvent.occurred < older_than)
                .limit(batch)
                .scalar_subquery()
            )
            result = await session.execute(sa.delete(AuditEvent).where(AuditEvent.id.in_(doomed)))
            count = int(cast(Any, result).rowcount or 0)
        deleted += count
        if count < batch:
            return deleted


__all__ = [
    "AUDIT_ORDERING",
    "AuditRecord",
    "list_audit_events",
    "prune_audit_events",
    "write_audit_events",
]
