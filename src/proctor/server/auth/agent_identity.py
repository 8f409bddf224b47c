"""Which agents an agent's key may speak for: the ones it registered.

`agent_scope` limits an agent's key to the runs it claimed; this module limits it to its
own agents, so a stolen or misconfigured agent key cannot keep another agent looking
alive, stop it, or claim runs in its name. An agent remembers the key that registered
it last (`agent.api_key_id`). A key with the `agent` role

- may heartbeat, stop and claim for an agent only when it registered that agent (an
  agent registered before keys were recorded, or without a key, is free to all until its
  next registration binds it);
- may register a name held by another key only when that agent is not alive (it stopped,
  or has been silent for longer than the UNHEALTHY threshold) or the other key can no
  longer be used (revoked, expired or deleted). A restarted agent with a new key takes
  over its old name as soon as its old key is revoked or the old process is gone.

Other roles (an admin's key, local mode) are not limited: they administer agents.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from proctor.server.auth.agent_scope import agent_key
from proctor.server.auth.principal import Principal
from proctor.server.database import Database
from proctor.server.database.models import Agent, ApiKey
from proctor.server.errors import Forbidden
from proctor.server.services.plumbing.rows import stopped_at


async def check_speaks_for(
    db: Database, principal: Principal | None, tenant_id: uuid.UUID, agent_id: uuid.UUID
) -> None:
    """Refuse an agent's key acting for an agent that another key registered. An unknown
    agent id is left to the service (it answers NOT_FOUND)."""
    key = agent_key(principal)
    if key is None:
        return
    async with db.session() as session:
        holder = (
            await session.execute(
                sa.select(Agent.name, Agent.api_key_id).where(
                    Agent.tenant_id == tenant_id, Agent.id == agent_id
                )
            )
        ).first()
    if holder is None or holder.api_key_id in (None, key):
        return
    raise Forbidden(
        f"Agent {holder.name!r} was registered with another API key: an agent's key may "
        "act only for the agents it registered. Register this agent under its own name, "
        "or use the key it was registered with.",
        details={"agent_id": str(agent_id), "name": holder.name},
    )


async def check_may_register(
    db: Database,
    principal: Principal | None,
    tenant_id: uuid.UUID,
    name: str,
    *,
    alive_after: datetime,
) -> None:
    """Refuse an agent's key taking over the name of a live agent whose own key still
    works."""
    key = agent_key(principal)
    if key is None:
        return
    async with db.session() as session:
        agent = await session.scalar(
            sa.select(Agent).where(Agent.tenant_id == tenant_id, Agent.name == name)
        )
        if agent is None or agent.api_key_id in (None, key):
            return
        if not _alive(agent, alive_after):
            return
        now = datetime.now(UTC)
        holder_works = await session.scalar(
            sa.select(ApiKey.id).where(
                ApiKey.id == agent.api_key_id,
                ApiKey.revoked.is_(False),
                sa.or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
            )
        )
    if holder_works is None:
        return
    raise Forbidden(
        f"Agent {name!r} is running with another API key (last heartbeat "
        f"{_aware(agent.last_heartbeat).isoformat() if agent.last_heartbeat else 'unknown'}"
        "). Stop that agent, or revoke its key, then start this one; or give this agent "
        "another name (--name).",
        details={"name": name, "agent_id": str(agent.id)},
    )


def _alive(agent: Agent, alive_after: datetime) -> bool:
    if agent.last_heartbeat is None:
        return False
    if stopped_at(agent.health, agent.health_changed, agent.last_heartbeat) is not None:
        return False
    return _aware(agent.last_heartbeat) >= alive_after


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; every stored one is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["check_may_register", "check_speaks_for"]
