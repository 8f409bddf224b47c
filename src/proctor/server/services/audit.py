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
from typing import Any

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import AuditEvent
from proctor.server.services.plumbing import event_log, records
from proctor.server.services.plumbing.validation import as_uuid

AUDIT_ORDERING = event_log.newest_first(AuditEvent)
PRUNE_BATCH = event_log.PRUNE_BATCH


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
    equal = {
        AuditEvent.action: action,
        AuditEvent.object_type: object_type,
        AuditEvent.object_id: object_id,
    }
    where = event_log.filters(AuditEvent, equal=equal, since=since, until=until)
    if actor:
        where.append(_actor_filter(actor))
    if machine is not None:
        is_machine = AuditEvent.action.in_(sorted(MACHINE_ACTIONS))
        where.append(is_machine if machine else ~is_machine)
    return await event_log.list_newest_first(
        db, AuditEvent, tenant, where, _record, first=first, after=after, count=count
    )


def _record(event: AuditEvent) -> AuditRecord:
    return AuditRecord(
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


async def prune_audit_events(
    db: Database, *, older_than: datetime, batch: int = PRUNE_BATCH
) -> int:
    """Delete every team's events that occurred before `older_than`, `batch` rows per
    transaction (a large backlog never holds the write lock for long)."""
    return await event_log.prune_older_than(db, AuditEvent, older_than=older_than, batch=batch)


__all__ = [
    "AUDIT_ORDERING",
    "AuditRecord",
    "list_audit_events",
    "prune_audit_events",
    "write_audit_events",
]
