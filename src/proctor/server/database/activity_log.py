"""Writes the activity feed: the events of a transaction that are worth showing become
`activity` rows in that same transaction (just before its COMMIT).

Which kinds: a run's state changes (not its task runs': a 10,000-task run would flood
the feed and the write path), flows registered, archived, unarchived and deleted,
projects, schedule switches, agents (registered, stopped, removed, healthy, unhealthy),
SLA breaches and alerts delivered or given up. The flow's *name* is looked up by the
INSERT itself and copied into the row, so the feed filters by flow without a join and
still reads after the flow is gone."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database.models import Activity, Agent, Flow, FlowGroup, FlowRun
from proctor.server.events import Event

ACTIVITY_KINDS: frozenset[str] = frozenset(
    {
        "flow_run.created",
        "flow_run.state",
        "flow_run.deleted",
        "flow.registered",
        "flow.archived",
        "flow.unarchived",
        "flow.deleted",
        "flow_group.schedule",
        "project.created",
        "project.deleted",
        "agent.registered",
        "agent.stopped",
        "agent.removed",
        "agent.healthy",
        "agent.unhealthy",
        "sla.breached",
        "notification.delivered",
        "notification.failed",
    }
)


def _uuid(value: object) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def activity_id(event: Event) -> uuid.UUID:
    """The row's id is the event's, so a live subscriber can read the row it announces."""
    return (
        uuid.UUID(hex=event.id) if len(event.id) == 32 else uuid.uuid5(uuid.NAMESPACE_OID, event.id)
    )


def _insert() -> sa.Insert:
    """One INSERT for a transaction's rows: each row's flow name is looked up by the
    database in the same statement (by run, flow or flow group id), so writing the feed
    costs a run's state change one statement, not a read and a write."""
    by_run = (
        sa.select(Flow.name)
        .join(FlowRun, FlowRun.flow_id == Flow.id)
        .where(FlowRun.id == sa.bindparam("run_key", type_=sa.Uuid()))
        .scalar_subquery()
    )
    by_flow = (
        sa.select(Flow.name)
        .where(Flow.id == sa.bindparam("flow_key", type_=sa.Uuid()))
        .scalar_subquery()
    )
    by_group = (
        sa.select(FlowGroup.name)
        .where(FlowGroup.id == sa.bindparam("group_key", type_=sa.Uuid()))
        .scalar_subquery()
    )
    return sa.insert(Activity).values(
        id=sa.bindparam("row_id", type_=sa.Uuid()),
        tenant_id=sa.bindparam("row_tenant", type_=sa.Uuid()),
        kind=sa.bindparam("row_kind", type_=sa.String()),
        family=sa.bindparam("row_family", type_=sa.String()),
        occurred=sa.bindparam("row_occurred", type_=Activity.__table__.c.occurred.type),
        flow_run_id=sa.bindparam("run_key", type_=sa.Uuid()),
        flow_name=sa.func.coalesce(
            sa.bindparam("given_name", type_=sa.String()), by_run, by_flow, by_group
        ),
        data=sa.bindparam("row_data", type_=Activity.__table__.c.data.type),
    )


_INSERT = _insert()


async def _agent_names(session: AsyncSession, events: Sequence[Event]) -> dict[str, str]:
    """Names of the agents that events mention without one (registered, stopped)."""
    wanted = {
        str(found)
        for e in events
        if e.kind.startswith("agent.")
        and not e.data.get("name")
        and (found := _uuid(e.data.get("agent_id"))) is not None
    }
    if not wanted:
        return {}
    rows = await session.execute(
        sa.select(Agent.id, Agent.name).where(Agent.id.in_([uuid.UUID(w) for w in wanted]))
    )
    return {str(agent_id): name for agent_id, name in rows.all()}


def _data_of(event: Event, agents: dict[str, str]) -> dict[str, Any]:
    agent = agents.get(str(event.data.get("agent_id")))
    return {**event.data, "name": agent} if agent and not event.data.get("name") else event.data


def _given_name(event: Event) -> str | None:
    given = event.data.get("flow_name")
    return given if isinstance(given, str) and given else None


async def write_activity(session: AsyncSession, events: Sequence[Event]) -> int:
    """Insert a row for each event of an activity kind; returns how many."""
    shown = [event for event in events if event.kind in ACTIVITY_KINDS]
    shown = [event for event in shown if _uuid(event.tenant_id) is not None]
    if not shown:
        return 0
    agents = await _agent_names(session, shown)
    rows: list[dict[str, Any]] = [
        {
            "row_id": activity_id(event),
            "row_tenant": _uuid(event.tenant_id),
            "row_kind": event.kind,
            "row_family": event.kind.split(".", 1)[0],
            "row_occurred": datetime.fromtimestamp(event.occurred, UTC),
            "run_key": _uuid(event.flow_run_id),
            "flow_key": _uuid(event.data.get("flow_id")),
            "group_key": _uuid(event.data.get("flow_group_id")),
            "given_name": _given_name(event),
            "row_data": _data_of(event, agents),
        }
        for event in shown
    ]
    await session.execute(_INSERT, rows)
    return len(rows)


__all__ = ["ACTIVITY_KINDS", "activity_id", "write_activity"]
