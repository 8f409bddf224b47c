"""Which agents an agent's key speaks for, decided in process on a real database.

`test_agent_identity.py` goes through the GraphQL API; these call the checks directly,
with agents in the states that are awkward to reach through it (never beaten, stopped
and then restarted, held by an expired key, in another team). Rules under test
(docs/security.md, "What an agent's key may do"): an agent belongs to the key that
registered it; another agent's key may not heartbeat it, stop it or claim for it, and may
not register its name while it is alive and its key still works. The name is free once
the agent stopped cleanly, has been silent past the UNHEALTHY threshold, or its key was
revoked or expired. Unknown agents (in this team) are left to the service; owners' and
admins' keys are not limited."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import new_team

from proctor.server.auth import api_keys
from proctor.server.auth.agent_identity import check_may_register, check_speaks_for
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Agent, ApiKey
from proctor.server.database.types import utcnow
from proctor.server.errors import Forbidden

TEAM = DEFAULT_TENANT_ID
SILENCE = timedelta(minutes=5)  # stands for the UNHEALTHY threshold the server passes in


async def _key(db: Database, tenant: uuid.UUID = TEAM, **kw: Any) -> uuid.UUID:
    made = await api_keys.create_api_key(
        db,
        tenant,
        name=f"svc-{uuid.uuid4().hex[:6]}",
        role="agent",
        granter_role="owner",
        user_id=None,
        created_by=None,
        service_account=True,
        **kw,
    )
    return made.info.id


def _agent_key(key: uuid.UUID | None, tenant: uuid.UUID = TEAM) -> Principal:
    return Principal(tenant_id=tenant, role="agent", kind="api_key", api_key_id=key)


async def _agent(
    db: Database,
    name: str,
    key: uuid.UUID | None,
    *,
    tenant: uuid.UUID = TEAM,
    beat: datetime | None = None,
    stopped: datetime | None = None,
) -> uuid.UUID:
    agent_id = uuid.uuid4()
    async with db.transaction() as session:
        session.add(
            Agent(
                id=agent_id,
                tenant_id=tenant,
                name=name,
                labels=[],
                last_heartbeat=beat,
                health="STOPPED" if stopped else "HEALTHY",
                health_changed=stopped,
                api_key_id=key,
            )
        )
    return agent_id


def _alive_after() -> datetime:
    return utcnow() - SILENCE


async def _register(db: Database, key: uuid.UUID, name: str, tenant: uuid.UUID = TEAM) -> None:
    await check_may_register(db, _agent_key(key, tenant), tenant, name, alive_after=_alive_after())


async def test_a_key_speaks_only_for_its_own_agent_among_several(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    box_a = await _agent(database, "box-a", key_a, beat=utcnow())
    box_b = await _agent(database, "box-b", key_b, beat=utcnow())
    await check_speaks_for(database, _agent_key(key_a), TEAM, box_a)
    await check_speaks_for(database, _agent_key(key_b), TEAM, box_b)
    with pytest.raises(Forbidden) as refused:
        await check_speaks_for(database, _agent_key(key_b), TEAM, box_a)
    message = refused.value.message
    assert "'box-a' was registered with another API key" in message
    assert refused.value.details == {"agent_id": str(box_a), "name": "box-a"}
    # It says what to do instead, as full sentences: act only for its own agents,
    # register the agent under its own name, or use the key that registered it.
    assert "may act only for the agents it registered. Register this agent" in message
    assert "own name" in message and "use the key it was registered with" in message
    assert message.endswith(".")


async def test_unknown_agents_unbound_agents_and_people_are_not_refused(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    box_a = await _agent(database, "box-a", key_a, beat=utcnow())
    unbound = await _agent(database, "old-box", None, beat=utcnow())
    await check_speaks_for(database, _agent_key(key_b), TEAM, uuid.uuid4())
    await check_speaks_for(database, _agent_key(key_b), TEAM, unbound)
    for role in ("owner", "admin"):
        person = Principal(tenant_id=TEAM, role=role, kind="api_key", api_key_id=key_b)
        await check_speaks_for(database, person, TEAM, box_a)
    await check_speaks_for(database, None, TEAM, box_a)


async def test_another_teams_agent_is_left_to_the_service(database: Database):
    other_team = await new_team(database, "elsewhere")
    theirs = await _key(database, other_team)
    ours = await _key(database)
    their_box = await _agent(database, "box", theirs, tenant=other_team, beat=utcnow())
    # Asked in our team, their agent does not exist (NOT_FOUND from the service).
    await check_speaks_for(database, _agent_key(ours), TEAM, their_box)
    # Their live agent's name is free in our team.
    await _register(database, ours, "box")


async def test_a_live_agents_name_is_refused_to_another_key(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    beat = utcnow()
    box = await _agent(database, "box", key_a, beat=beat)
    with pytest.raises(Forbidden) as refused:
        await _register(database, key_b, "box")
    message = refused.value.message
    assert "'box' is running with another API key" in message
    assert refused.value.details == {"name": "box", "agent_id": str(box)}
    # When it was last heard of, and the ways to free the name (docs/security.md): stop
    # that agent, revoke its key, or start this one under another name (--name).
    assert f"(last heartbeat {beat.isoformat()}). Stop that agent" in message
    assert "revoke its key" in message and "another name (--name)" in message
    assert message.endswith(".")
    # Its own key registers it again (a restart); a new name is free.
    await _register(database, key_a, "box")
    await _register(database, key_b, "another-box")


async def test_an_agent_that_never_beat_is_not_alive(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    await _agent(database, "quiet", key_a, beat=None)
    await _register(database, key_b, "quiet")


async def test_silent_past_the_threshold_frees_the_name(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    await _agent(database, "recent", key_a, beat=utcnow() - SILENCE / 2)
    await _agent(database, "silent", key_a, beat=utcnow() - SILENCE * 2)
    with pytest.raises(Forbidden):
        await _register(database, key_b, "recent")
    await _register(database, key_b, "silent")


async def test_a_stop_frees_the_name_until_the_agent_beats_again(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    now = utcnow()
    await _agent(database, "stopped", key_a, beat=now - timedelta(seconds=30), stopped=now)
    await _register(database, key_b, "stopped")
    # Stopped, then restarted with the same key: a heartbeat after the stop.
    await _agent(database, "restarted", key_a, beat=now, stopped=now - timedelta(seconds=30))
    with pytest.raises(Forbidden):
        await _register(database, key_b, "restarted")


async def test_a_revoked_or_expired_holder_key_frees_the_name(database: Database):
    key_b = await _key(database)
    revoked = await _key(database)
    expiring = await _key(database, expires_at=utcnow() + timedelta(days=1))
    lasting = await _key(database, expires_at=utcnow() + timedelta(days=30))
    for name, key in (("revoked", revoked), ("expired", expiring), ("lasting", lasting)):
        await _agent(database, name, key, beat=utcnow())
    async with database.transaction() as session:
        await session.execute(sa.update(ApiKey).where(ApiKey.id == revoked).values(revoked=True))
        await session.execute(
            sa.update(ApiKey)
            .where(ApiKey.id == expiring)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    await _register(database, key_b, "revoked")
    await _register(database, key_b, "expired")
    # A key that expires later still works: its live agent keeps the name.
    with pytest.raises(Forbidden):
        await _register(database, key_b, "lasting")


async def test_a_deleted_holder_key_frees_the_name(database: Database):
    key_b = await _key(database)
    gone = uuid.uuid4()  # a key id with no key behind it any more
    await _agent(database, "orphan", gone, beat=utcnow())
    await _register(database, key_b, "orphan")


async def test_people_and_unbound_names_are_not_refused(database: Database):
    key_a, key_b = await _key(database), await _key(database)
    await _agent(database, "box", key_a, beat=utcnow())
    await _agent(database, "old-box", None, beat=utcnow())
    await _register(database, key_b, "old-box")
    admin = Principal(tenant_id=TEAM, role="admin", kind="api_key", api_key_id=key_b)
    await check_may_register(database, admin, TEAM, "box", alive_after=_alive_after())
    await check_may_register(database, None, TEAM, "box", alive_after=_alive_after())
