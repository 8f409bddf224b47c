"""An agent's key speaks only for the agents it registered (both databases).

Found in hardening: any agent key could heartbeat another team agent's id (keeping a dead
agent looking alive), stop it, or claim runs in its name, and could register its name.
Rules under test (docs/security.md): a key with the `agent` role may heartbeat, stop and
claim only for agents it registered; it may take over a name held by another key only
when that agent is not alive (stopped, or silent past UNHEALTHY) or the other key no
longer works (revoked). Owners and admins are not limited."""

from __future__ import annotations

import uuid

import httpx
import pytest
from tests.server.auth.helpers import codes, data_of, gql, service_key, staffed_team

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Agent
from proctor.server.database.types import utcnow

pytestmark = pytest.mark.slow

REGISTER = 'mutation($name: String!) { registerAgent(name: $name, labels: ["box"]) { id } }'
HEARTBEAT = "mutation($id: ID!) { agentHeartbeat(agentId: $id) { id } }"
STOP = "mutation($id: ID!) { stopAgent(agentId: $id) { id health } }"
CLAIM = 'mutation($id: ID!) { claimFlowRuns(agentId: $id, labels: ["box"]) { id } }'
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }"
KEY_ID = "{ me { apiKey { id } } }"


async def _register(http: httpx.AsyncClient, key: str, name: str) -> str:
    return str(data_of(await gql(http, REGISTER, {"name": name}, key=key))["registerAgent"]["id"])


async def test_another_agents_key_cannot_beat_stop_or_claim_for_it(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "ident", DEFAULT_TENANT_ID)
    key_a, key_b = team.keys["agent"], await service_key(database, team.id)
    box_a = await _register(http, key_a, "box-a")

    for query in (HEARTBEAT, STOP, CLAIM):
        body = await gql(http, query, {"id": box_a}, key=key_b)
        assert codes(body) == ["FORBIDDEN"], body
        assert "registered with another API key" in body["errors"][0]["message"]
    # Nothing changed for the agent: it is not stopped.
    async with database.session() as session:
        row = await session.get(Agent, uuid.UUID(box_a))
        assert row is not None and row.health != "STOPPED"

    # Its own key does all three.
    assert data_of(await gql(http, HEARTBEAT, {"id": box_a}, key=key_a))
    assert data_of(await gql(http, CLAIM, {"id": box_a}, key=key_a))["claimFlowRuns"] == []
    # An admin administers every agent.
    assert data_of(await gql(http, HEARTBEAT, {"id": box_a}, key=team.keys["admin"]))


async def test_a_live_agents_name_is_not_taken_over_until_it_stops(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "takeover", DEFAULT_TENANT_ID)
    key_a, key_b = team.keys["agent"], await service_key(database, team.id)
    box = await _register(http, key_a, "box")

    refused = await gql(http, REGISTER, {"name": "box"}, key=key_b)
    assert codes(refused) == ["FORBIDDEN"], refused
    assert "running with another API key" in refused["errors"][0]["message"]
    # The same key registering again (an agent restarting) keeps its agent.
    assert await _register(http, key_a, "box") == box

    # Once it stopped cleanly, another key takes the name over (same agent id), and the
    # old key no longer speaks for it.
    assert data_of(await gql(http, STOP, {"id": box}, key=key_a))["stopAgent"]["health"]
    assert await _register(http, key_b, "box") == box
    assert codes(await gql(http, HEARTBEAT, {"id": box}, key=key_a)) == ["FORBIDDEN"]
    assert data_of(await gql(http, HEARTBEAT, {"id": box}, key=key_b))


async def test_a_revoked_or_silent_holder_frees_the_name(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "revoked", DEFAULT_TENANT_ID)
    key_a, key_b, key_c = [await service_key(database, team.id) for _ in range(3)]
    revoked_box = await _register(http, key_a, "revoked-box")
    key_a_id = data_of(await gql(http, KEY_ID, key=key_a))["me"]["apiKey"]["id"]
    assert codes(await gql(http, REGISTER, {"name": "revoked-box"}, key=key_b)) == ["FORBIDDEN"]
    assert data_of(await gql(http, REVOKE, {"id": key_a_id}, key=team.keys["admin"]))
    assert await _register(http, key_b, "revoked-box") == revoked_box

    # Silent for longer than the UNHEALTHY threshold: the holder's process is gone.
    silent_box = await _register(http, key_b, "silent-box")
    assert codes(await gql(http, REGISTER, {"name": "silent-box"}, key=key_c)) == ["FORBIDDEN"]
    async with database.transaction() as session:
        row = await session.get(Agent, uuid.UUID(silent_box))
        assert row is not None
        row.last_heartbeat = utcnow().replace(year=2000)
    assert await _register(http, key_c, "silent-box") == silent_box
