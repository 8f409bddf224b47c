"""Agent health: judged from the last heartbeat, and published when it crosses the line.

An agent heartbeats every `heartbeat_seconds` (its claims count too). It is

    HEALTHY     last heartbeat less than `late_after_beats` intervals ago (default 2)
    LATE        less than `unhealthy_after_beats` intervals ago (default 6)
    UNHEALTHY   longer ago, or never; or its heartbeats report a `problem` that keeps it
                from starting runs (its Docker daemon is down)
    STOPPED     it said it stopped cleanly (`stop_agent`), and has not heartbeat since

The API judges live (`judge`). The agent monitor (`monitor_agents`, run by the background
service) stores each agent's health and publishes `agent.unhealthy` when an agent becomes
UNHEALTHY and `agent.healthy` when it leaves that state, with data `{"agent_id", "name",
"last_heartbeat", "problem"}` (automations of the alerting area trigger on them). The stored health
changes only by a conditional UPDATE (`WHERE health = <what was read>`), in the same
transaction as the event: of two server replicas judging the same agent, only the one
whose UPDATE matched publishes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.database import Database, record_event
from proctor.server.database.models import Agent
from proctor.server.events import Event
from proctor.server.services.plumbing.rows import stopped_at
from proctor.settings import Settings


class Health(Enum):
    HEALTHY = "HEALTHY"
    LATE = "LATE"
    UNHEALTHY = "UNHEALTHY"
    STOPPED = "STOPPED"


UNHEALTHY_EVENT = "agent.unhealthy"
HEALTHY_EVENT = "agent.healthy"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Heartbeat ages (seconds) after which an agent is LATE, and UNHEALTHY."""

    late_seconds: float
    unhealthy_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        services = settings.server.services
        beat = services.heartbeat_seconds
        monitor = services.agent_monitor
        late = beat * monitor.late_after_beats
        return cls(late, max(late, beat * monitor.unhealthy_after_beats))


def judge(
    last_heartbeat: datetime | None,
    now: datetime,
    thresholds: Thresholds,
    *,
    stopped_at: datetime | None = None,
    problem: str | None = None,
) -> Health:
    """The agent's health now; `stopped_at` (see `rows.stopped_at`) makes it STOPPED, and
    a `problem` its heartbeats report makes it UNHEALTHY however recent they are: an agent
    that cannot start runs is not healthy for the runs waiting on it."""
    if stopped_at is not None:
        return Health.STOPPED
    if last_heartbeat is None or problem:
        return Health.UNHEALTHY
    if last_heartbeat.tzinfo is None:
        last_heartbeat = last_heartbeat.replace(tzinfo=UTC)
    age = (now - last_heartbeat).total_seconds()
    if age < thresholds.late_seconds:
        return Health.HEALTHY
    if age < thresholds.unhealthy_seconds:
        return Health.LATE
    return Health.UNHEALTHY


@dataclass(slots=True)
class MonitorReport:
    changed: int = 0
    unhealthy: int = 0
    healthy: int = 0


async def monitor_agents(
    db: Database, thresholds: Thresholds, *, now: datetime | None = None
) -> MonitorReport:
    """Store every agent's health; publish the crossings of the UNHEALTHY line."""
    moment = now or datetime.now(UTC)

    async def work(session: AsyncSession) -> MonitorReport:
        report = MonitorReport()
        rows = (
            await session.execute(
                sa.select(
                    Agent.id,
                    Agent.tenant_id,
                    Agent.name,
                    Agent.last_heartbeat,
                    Agent.health,
                    Agent.health_changed,
                    Agent.problem,
                )
            )
        ).all()
        for agent_id, tenant_id, name, last_heartbeat, stored, changed, problem in rows:
            # A cleanly stopped agent stays STOPPED (no alert) until it heartbeats again.
            stopped = stopped_at(stored, changed, last_heartbeat)
            health = judge(
                last_heartbeat, moment, thresholds, stopped_at=stopped, problem=problem
            ).value
            if health == stored:
                continue
            if await _change(session, agent_id, stored, health, moment):
                report.changed += 1
                kind = _event_kind(stored, health)
                if kind is not None:
                    if kind == UNHEALTHY_EVENT:
                        report.unhealthy += 1
                    else:
                        report.healthy += 1
                    event = _event(kind, tenant_id, agent_id, name, last_heartbeat, problem)
                    record_event(session, event)
        return report

    return await db.run_in_transaction(work)


def _event_kind(stored: str | None, health: str) -> str | None:
    if health == Health.UNHEALTHY.value and stored != Health.STOPPED.value:
        return UNHEALTHY_EVENT
    if stored == Health.UNHEALTHY.value and health != Health.STOPPED.value:
        return HEALTHY_EVENT
    return None


async def _change(
    session: AsyncSession, agent_id: uuid.UUID, stored: str | None, health: str, now: datetime
) -> bool:
    """Set the agent's health if it is still `stored`: True if this call changed it."""
    still = Agent.health.is_(None) if stored is None else Agent.health == stored
    result = await session.execute(
        sa.update(Agent)
        .where(Agent.id == agent_id, still)
        .values(health=health, health_changed=now)
        .execution_options(synchronize_session=False)
    )
    return bool(cast(Any, result).rowcount)


def _event(
    kind: str,
    tenant_id: uuid.UUID,
    agent_id: uuid.UUID,
    name: str,
    last_heartbeat: datetime | None,
    problem: str | None,
) -> Event:
    return Event(
        kind,
        str(tenant_id),
        data={
            "agent_id": str(agent_id),
            "name": name,
            "last_heartbeat": None if last_heartbeat is None else last_heartbeat.isoformat(),
            "problem": problem,
        },
    )


__all__ = [
    "HEALTHY_EVENT",
    "UNHEALTHY_EVENT",
    "Health",
    "MonitorReport",
    "Thresholds",
    "judge",
    "monitor_agents",
]
