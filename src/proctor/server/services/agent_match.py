"""Can any agent take this run? Said out loud instead of a run waiting in silence.

An agent claims a run when every label of the run is among its own labels. A run that is
waiting (Scheduled or Pending) is *covered* when some healthy agent (heartbeat on time,
not stopped) has all its labels. When none has, the answer names the labels missing from the agent
that comes closest (or all the run's labels when no healthy agent exists) and the command
that starts an agent able to take it.
"""

from __future__ import annotations

import shlex
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Agent
from proctor.server.services.agent_health import Health, Thresholds, judge
from proctor.server.services.plumbing.rows import stopped_at

WAITING_FAMILIES = frozenset({"Scheduled", "Pending"})


@dataclass(frozen=True, slots=True)
class HealthyAgent:
    name: str
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgentMatch:
    """`covered`: a healthy agent can take the run. Otherwise `missing_labels` are the
    labels the closest healthy agent lacks and `suggestion` the command to start one."""

    covered: bool
    healthy_agents: int
    matching_agents: list[str]
    missing_labels: list[str]
    closest_agent: str | None
    suggestion: str | None


def start_command(labels: Iterable[str]) -> str:
    words = ["proctor", "agent", "start"]
    for label in sorted(set(labels)):
        words += ["--label", label]
    return shlex.join(words)


def match_agents(run_labels: Iterable[str], agents: Sequence[HealthyAgent]) -> AgentMatch:
    """Which of `agents` (all healthy) cover `run_labels` (a pure function)."""
    wanted = set(run_labels)
    matching = sorted(a.name for a in agents if wanted <= set(a.labels))
    if matching:
        return AgentMatch(True, len(agents), matching, [], None, None)
    closest = min(agents, key=lambda a: (len(wanted - set(a.labels)), a.name), default=None)
    missing = sorted(wanted - set(closest.labels)) if closest else sorted(wanted)
    return AgentMatch(
        covered=False,
        healthy_agents=len(agents),
        matching_agents=[],
        missing_labels=missing,
        closest_agent=closest.name if closest else None,
        suggestion=start_command(wanted),
    )


async def healthy_agents(
    db: Database, tenant: uuid.UUID, thresholds: Thresholds, now: datetime | None = None
) -> list[HealthyAgent]:
    """The team's agents whose heartbeat is on time and reports no problem."""
    moment = now or datetime.now(UTC)
    async with db.session() as session:
        found = await session.execute(
            sa.select(
                Agent.name,
                Agent.labels,
                Agent.last_heartbeat,
                Agent.health,
                Agent.health_changed,
                Agent.problem,
            ).where(Agent.tenant_id == tenant)
        )
        return [
            HealthyAgent(name, tuple(labels or ()))
            for name, labels, beat, health, changed, problem in found.all()
            # A cleanly stopped agent takes nothing, however recent its last heartbeat; one
            # whose daemon is down cannot start what it takes.
            if judge(
                beat,
                moment,
                thresholds,
                stopped_at=stopped_at(health, changed, beat),
                problem=problem,
            )
            is Health.HEALTHY
        ]


__all__ = [
    "WAITING_FAMILIES",
    "AgentMatch",
    "HealthyAgent",
    "healthy_agents",
    "match_agents",
    "start_command",
]
