"""Agents: registration, heartbeats, listing, and claiming due flow runs.

A claim moves due Scheduled runs whose labels the agent covers to Submitted (recording
the agent), through the orchestration policy, atomically: `FOR UPDATE SKIP LOCKED` on
PostgreSQL lets concurrent agents take disjoint runs; on SQLite `BEGIN IMMEDIATE`
serialises claims. Either way two agents never claim the same run.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.ids import new_id
from proctor.server.database.models import Agent, Flow, FlowRun
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.events import Event
from proctor.server.orchestration import ProposedState
from proctor.server.orchestration.states import parse_timestamp
from proctor.server.services.concurrency_limits import CLAIM_SCAN, label_room, take_flow_run_slots
from proctor.server.services.flow_run_states import FlowChange, transition_flow_runs
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.tenants import require_tenant
from proctor.server.services.plumbing.validation import as_uuid, name_arg, string_list

IN_FLIGHT = ("Submitted", "Running", "Cancelling", "Paused")


async def register_agent(
    db: Database,
    tenant_id: uuid.UUID | str,
    name: str,
    *,
    labels: list[str] | None = None,
    version: str | None = None,
    registered_with: uuid.UUID | None = None,
) -> records.Agent:
    """Register an agent, or update the one with this name (an agent restarting keeps
    its id). `registered_with`: the API key of the request; the agent belongs to it
    from now on (`proctor.server.auth.agent_identity`)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    name = name_arg(name, "name")
    agent_labels = string_list(labels, "labels")
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await require_tenant(session, tenant)
        statement = db.config.insert(cast(sa.Table, Agent.__table__)).values(
            id=new_id(),
            tenant_id=tenant,
            name=name,
            labels=agent_labels,
            version=version,
            last_heartbeat=now,
            api_key_id=registered_with,
            created=now,
            updated=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "name"],
            set_={
                "labels": agent_labels,
                "version": version,
                "api_key_id": registered_with,
                "last_heartbeat": now,
                "problem": None,  # a new life: its heartbeats say again
                "updated": now,
            },
        )
        await session.execute(statement)
        agent = await session.scalar(
            sa.select(Agent).where(Agent.tenant_id == tenant, Agent.name == name)
        )
        assert agent is not None
        record_event(
            session, Event("agent.registered", str(tenant), data={"agent_id": str(agent.id)})
        )
        return rows.agent(agent)


async def heartbeat_agent(
    db: Database,
    tenant_id: uuid.UUID | str,
    agent_id: uuid.UUID | str,
    problem: str | None = None,
) -> records.Agent:
    """The agent is alive; `problem`: what keeps it from starting runs now (None:
    nothing), kept until the next heartbeat says otherwise."""
    tenant = as_uuid(tenant_id, "tenant_id")
    agent_uuid = as_uuid(agent_id, "agent_id")
    async with db.transaction() as session:
        agent = await session.scalar(
            sa.select(Agent).where(Agent.tenant_id == tenant, Agent.id == agent_uuid)
        )
        if agent is None:
            raise NotFound(f"No agent {agent_uuid}", details={"agent_id": str(agent_uuid)})
        agent.last_heartbeat = datetime.now(UTC)
        agent.problem = problem.strip()[:500] or None if problem else None
        await session.flush()
        return rows.agent(agent)


async def stop_agent(
    db: Database, tenant_id: uuid.UUID | str, agent_id: uuid.UUID | str
) -> records.Agent:
    """The agent stopped cleanly: it is STOPPED (not unhealthy, no alert) until it
    registers or heartbeats again."""
    tenant = as_uuid(tenant_id, "tenant_id")
    agent_uuid = as_uuid(agent_id, "agent_id")
    async with db.transaction() as session:
        agent = await _agent(session, tenant, agent_uuid)
        now = datetime.now(UTC)
        # The stop comes after the last heartbeat: `rows.stopped_at` compares the two.
        if agent.last_heartbeat is not None:
            beat = agent.last_heartbeat
            now = max(now, beat if beat.tzinfo else beat.replace(tzinfo=UTC))
        agent.health = "STOPPED"
        agent.health_changed = now
        await session.flush()
        record_event(session, Event("agent.stopped", str(tenant), data={"agent_id": str(agent.id)}))
        return rows.agent(agent)


async def delete_agent(
    db: Database,
    tenant_id: uuid.UUID | str,
    agent_id: uuid.UUID | str,
    *,
    alive_after: datetime,
) -> str:
    """Remove a stale agent (stopped, or silent since before `alive_after`); returns its
    name. A live agent is refused: it would register again at its next heartbeat. Its
    runs stay, without their agent."""
    tenant = as_uuid(tenant_id, "tenant_id")
    agent_uuid = as_uuid(agent_id, "agent_id")
    async with db.transaction() as session:
        agent = await _agent(session, tenant, agent_uuid)
        stopped = rows.stopped_at(agent.health, agent.health_changed, agent.last_heartbeat)
        beat = agent.last_heartbeat
        if stopped is None and beat is not None:
            beat = beat if beat.tzinfo else beat.replace(tzinfo=UTC)
            if beat >= alive_after:
                raise InvalidInput(
                    f"Agent {agent.name!r} is running (last heartbeat {beat.isoformat()}): "
                    "stop it first (Ctrl-C or SIGTERM), then remove it",
                    details={"agent_id": str(agent.id), "name": agent.name},
                )
        name = agent.name
        await session.delete(agent)
        record_event(
            session,
            Event("agent.removed", str(tenant), data={"agent_id": str(agent_uuid), "name": name}),
        )
        return name


async def _agent(session: AsyncSession, tenant: uuid.UUID, agent_id: uuid.UUID) -> Agent:
    agent = await session.scalar(
        sa.select(Agent).where(Agent.tenant_id == tenant, Agent.id == agent_id)
    )
    if agent is None:
        raise NotFound(f"No agent {agent_id}", details={"agent_id": str(agent_id)})
    return agent


async def list_agents(db: Database, tenant_id: uuid.UUID | str) -> list[records.Agent]:
    """Agents with their last heartbeat and how many runs they have in flight."""
    tenant = as_uuid(tenant_id, "tenant_id")
    in_flight: Any = (
        sa.select(sa.func.count(FlowRun.id))
        .where(FlowRun.agent_id == Agent.id, FlowRun.state_type.in_(IN_FLIGHT))
        .scalar_subquery()
    )
    async with db.session() as session:
        result = await session.execute(
            sa.select(Agent, in_flight).where(Agent.tenant_id == tenant).order_by(Agent.name)
        )
        return [rows.agent(agent, count) for agent, count in result.all()]


def due_runs(db: Database, tenant: uuid.UUID, labels: list[str]) -> sa.ColumnElement[bool]:
    """Runs waiting to be claimed by an agent with `labels`: Scheduled, every run label
    among the agent's, and a version of the flow that is not archived (the caller adds
    the time condition)."""
    return sa.and_(
        FlowRun.tenant_id == tenant,
        FlowRun.state_type == "Scheduled",
        db.config.labels_subset_of(FlowRun.labels, labels),
        ~sa.exists().where(Flow.id == FlowRun.flow_id, Flow.archived.is_(True)),
    )


async def claim_due_runs(
    db: Database,
    tenant_id: uuid.UUID | str,
    agent_id: uuid.UUID | str,
    *,
    labels: list[str] | None = None,
    limit: int = 10,
    now: datetime | str | None = None,
    claimed_with: uuid.UUID | None = None,
) -> list[records.FlowRun]:
    """Claim up to `limit` due runs (Scheduled, start time reached, every run label among
    the agent's `labels`, defaulting to the registered ones, flow version not archived),
    oldest first; they become Submitted by this agent, and remember `claimed_with` (the
    API key of the request, None without one: it scopes the agent role). Also counts as
    the agent's heartbeat. Returns at once; `claims.claim_flow_runs` is the long-polling
    variant."""
    tenant = as_uuid(tenant_id, "tenant_id")
    agent_uuid = as_uuid(agent_id, "agent_id")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= 1000:
        raise InvalidInput("limit must be an integer between 1 and 1000")
    moment = parse_timestamp(now, "now") or datetime.now(UTC)

    async def work(session: AsyncSession) -> list[records.FlowRun]:
        agent = await session.scalar(
            sa.select(Agent).where(Agent.tenant_id == tenant, Agent.id == agent_uuid)
        )
        if agent is None:
            raise NotFound(f"No agent {agent_uuid}", details={"agent_id": str(agent_uuid)})
        agent.last_heartbeat = datetime.now(UTC)
        covered = string_list(labels, "labels") if labels is not None else list(agent.labels)
        # Flow-label concurrency limits (locked first, so claims for them take turns).
        room = await label_room(session, tenant, covered)
        found_due = await session.execute(
            sa.select(FlowRun.id, FlowRun.labels)
            .where(due_runs(db, tenant, covered), FlowRun.scheduled_start_time <= moment)
            .order_by(FlowRun.scheduled_start_time, FlowRun.id)
            .limit(limit if room is None else max(limit, CLAIM_SCAN))
            # SQLite ignores it: BEGIN IMMEDIATE already serialises claims.
            .with_for_update(skip_locked=True, of=FlowRun)
        )
        takes: dict[uuid.UUID, list[uuid.UUID]] = {}
        if room is None:
            due = [run_id for run_id, _labels in found_due]
        else:
            candidates = ((run_id, list(labels)) for run_id, labels in found_due)
            due, takes = room.choose(candidates, limit)
        if not due:
            return []
        submitted = ProposedState("Submitted", f"Submitted to agent {agent.name}.")
        results = await transition_flow_runs(
            session,
            db.config,
            tenant,
            [FlowChange(run_id, submitted, None, agent_uuid, False) for run_id in due],
        )
        claimed = [r.id for r in results if r.accepted and r.id is not None]
        if claimed:  # a new claim replaces the last one's key (None included)
            await session.execute(
                sa.update(FlowRun)
                .where(FlowRun.id.in_(claimed))
                .values(agent_key_id=claimed_with)
                .execution_options(synchronize_session=False)
            )
        if takes:
            await take_flow_run_slots(session, tenant, claimed, takes)
        found = await session.execute(
            sa.select(FlowRun, Flow.name)
            .join(Flow, Flow.id == FlowRun.flow_id)
            .where(FlowRun.id.in_(claimed))
            .order_by(FlowRun.scheduled_start_time, FlowRun.id)
            .execution_options(populate_existing=True)
        )
        return [rows.flow_run(run, flow_name) for run, flow_name in found.all()]

    return await db.run_in_transaction(work)


__all__ = ["claim_due_runs", "due_runs", "heartbeat_agent", "list_agents", "register_agent"]
