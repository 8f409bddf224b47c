"""Writes the activity feed: the events of a transaction that are worth showing become
`activity` rows in that same transaction (just before its COMMIT).

Which kinds: a run's state changes (not its task runs': a 10,000-task run would flood
the feed and the write path), flows registered, archived, unarchived and deleted,
projects, schedule switches, agents (registered, stopped, removed, healthy, unhealthy),
SLA breaches and alerts delivered or given up. The flow's *name* is looked up once per
transaction and copied into the row, so the feed filters by flow without a join and
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


async def _flow_names(session: AsyncSession, events: Sequence[Event]) -> dict[uuid.UUID, str]:
    """Names of the flows the events mention, keyed by run, flow and flow-group id."""
    runs = {u for e in events if (u := _uuid(e.flow_run_id)) is not None}
    flows = {u for e in events if (u := _uuid(e.data.get("flow_id"))) is not None}
    groups = {u for e in events if (u := _uuid(e.data.get("flow_group_id"))) is not None}
    names: dict[uuid.UUID, str] = {}
    if runs:
        found = await session.execute(
            sa.select(FlowRun.id, Flow.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(FlowRun.id.in_(runs))
        )
        names.update((row_id, name) for row_id, name in found.all())
    if flows:
        found = await session.execute(sa.select(Flow.id, Flow.name).where(Flow.id.in_(flows)))
        names.update((row_id, name) for row_id, name in found.all())
    if groups:
        found = await session.execute(
            sa.select(FlowGroup.id, FlowGroup.name).where(FlowGroup.id.in_(groups))
        )
        names.update((row_id, name) for row_id, name in found.all())
    return names


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


def _name_of(event: Event, names: dict[uuid.UUID, str]) -> str | None:
    given = event.data.get("flow_name")
    if isinstance(given, str) and given:
        return given
    for key in (event.flow_run_id, event.data.get("flow_id"), event.data.get("flow_group_id")):
        found = _uuid(key)
        if found is not None and found in names:
            return names[found]
    return None


async def write_activity(session: AsyncSession, events: Sequence[Event]) -> int:
    """Insert a row for each event of an activity kind; returns how many."""
    shown = [event for event in events if event.kind in ACTIVITY_KINDS]
    shown = [event for event in shown if _uuid(event.tenant_id) is not None]
    if not shown:
        return 0
    names = await _flow_names(session, shown)
    agents = await _agent_names(session, shown)
    rows: list[dict[str, Any]] = [
        {
            "id": activity_id(event),
            "tenant_id": _uuid(event.tenant_id),
            "kind": event.kind,
            "occurred": datetime.fromtimestamp(event.occurred, UTC),
            "flow_run_id": _uuid(event.flow_run_id),
            "flow_name": _name_of(event, names),
            "data": _data_of(event, agents),
        }
        for event in shown
    ]
    await session.execute(sa.insert(Activity), rows)
    return len(rows)


__all__ = ["ACTIVITY_KINDS", "activity_id", "write_activity"]
