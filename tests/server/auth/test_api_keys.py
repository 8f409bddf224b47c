"""API keys: shown once, stored as digests, role-capped, expiring, revocable; service
accounts for agents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from tests.server.auth.helpers import (
    codes,
    data_of,
    gql,
    new_user,
    service_key,
    staffed_team,
    user_key,
)

from proctor.server.auth.api_keys import authenticate_key
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import ApiKey, Membership

CREATE_KEY = """
mutation($name: String!, $role: String, $expiresAt: DateTime) {
  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) {
    key apiKey { id name prefix role userEmail serviceAccount revoked expiresAt }
  }
}"""
KEYS = "{ apiKeys { id name role userEmail serviceAccount revoked lastUsed } }"
FLOWS = "{ flows { totalCount } }"


async def test_a_key_is_shown_once_and_stored_as_a_digest(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "keys", DEFAULT_TENANT_ID)
    body = data_of(await gql(http, CREATE_KEY, {"name": "ci"}, key=team.keys["member"]))[
        "createApiKey"
    ]
    key = body["key"]
    assert key.startswith(f"pk_{body['apiKey']['prefix']}_") and len(key) > 40
    assert body["apiKey"]["role"] == "member" and not body["apiKey"]["serviceAccount"]
    assert data_of(await gql(http, FLOWS, key=key))["flows"]["totalCount"] == 0
    listed = data_of(await gql(http, KEYS, key=key))["apiKeys"]
    assert "ci" in {k["name"] for k in listed} and key not in str(listed)
    async with database.session() as session:
        stored = list(await session.scalars(sa.select(ApiKey.key_hash)))
    assert key not in stored and all(len(h) == 64 for h in stored)
    if database.dialect == "sqlite":
        raw = Path(database.url.database or "").read_bytes()
        wal = Path(f"{database.url.database}-wal")
        raw += wal.read_bytes() if wal.exists() else b""
        assert key.encode() not in raw and key.split("_", 2)[2].encode() not in raw


async def test_an_expired_key_is_unauthenticated(http: httpx.AsyncClient, database: Database):
    team = await staffed_team(database, "exp", DEFAULT_TENANT_ID)
    soon = datetime.now(UTC) + timedelta(hours=1)
    made = data_of(
        await gql(
            http, CREATE_KEY, {"name": "t", "expiresAt": soon.isoformat()}, key=team.keys["owner"]
        )
    )["createApiKey"]
    assert data_of(await gql(http, FLOWS, key=made["key"]))
    async with database.transaction() as session:
        await session.execute(
            sa.update(ApiKey)
            .where(ApiKey.id == uuid.UUID(made["apiKey"]["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    body = await gql(http, FLOWS, key=made["key"])
    assert codes(body) == ["UNAUTHENTICATED"] and "expired" in body["errors"][0]["message"]
    me = await gql(http, "{ me { role } }", key=made["key"])
    assert codes(me) == ["UNAUTHENTICATED"] and "expired" in me["errors"][0]["message"]
    past = await gql(
        http,
        CREATE_KEY,
        {"name": "p", "expiresAt": "2001-01-01T00:00:00+00:00"},
        key=team.keys["owner"],
    )
    assert codes(past) == ["INVALID_INPUT"]


async def test_a_revoked_key_is_unauthenticated(http: httpx.AsyncClient, database: Database):
    team = await staffed_team(database, "rev", DEFAULT_TENANT_ID)
    made = data_of(await gql(http, CREATE_KEY, {"name": "t"}, key=team.keys["member"]))
    key, key_id = made["createApiKey"]["key"], made["createApiKey"]["apiKey"]["id"]
    revoked = await gql(
        http,
        "mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }",
        {"id": key_id},
        key=team.keys["member"],
    )
    assert data_of(revoked)["revokeApiKey"]["revoked"] is True
    body = await gql(http, FLOWS, key=key)
    assert codes(body) == ["UNAUTHENTICATED"] and "revoked" in body["errors"][0]["message"]


async def test_made_up_and_malformed_keys_are_unauthenticated(http: httpx.AsyncClient):
    for header in ("Bearer pk_00000000_nope", "Bearer nonsense", "Bearer ", "Basic abc"):
        body = await gql(http, FLOWS, headers={"authorization": header})
        assert codes(body) == ["UNAUTHENTICATED"], header


async def test_members_see_and_revoke_only_their_own_keys_admins_all(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "own", DEFAULT_TENANT_ID)
    mine = data_of(await gql(http, KEYS, key=team.keys["member"]))["apiKeys"]
    assert {k["userEmail"] for k in mine} == {team.users["member"].email}
    everyone = data_of(await gql(http, KEYS, key=team.keys["admin"]))["apiKeys"]
    assert len(everyone) == 5 and any(k["serviceAccount"] for k in everyone)
    admins_key = next(k for k in everyone if k["userEmail"] == team.users["admin"].email)
    refused = await gql(
        http,
        "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
        {"id": admins_key["id"]},
        key=team.keys["member"],
    )
    assert codes(refused) == ["NOT_FOUND"]
    assert data_of(await gql(http, FLOWS, key=team.keys["admin"]))  # still works


async def test_nobody_makes_a_key_above_their_role(http: httpx.AsyncClient, database: Database):
    team = await staffed_team(database, "cap", DEFAULT_TENANT_ID)
    cases = [("member", "owner"), ("member", "admin"), ("read_only", "agent"), ("admin", "owner")]
    for holder, wanted in cases:
        body = await gql(http, CREATE_KEY, {"name": "x", "role": wanted}, key=team.keys[holder])
        assert codes(body) == ["FORBIDDEN"], (holder, wanted)
    ok = await gql(http, CREATE_KEY, {"name": "x", "role": "read_only"}, key=team.keys["member"])
    assert data_of(ok)["createApiKey"]["apiKey"]["role"] == "read_only"
    bogus = await gql(http, CREATE_KEY, {"name": "x", "role": "god"}, key=team.keys["owner"])
    assert codes(bogus) == ["INVALID_INPUT"]


async def test_a_demoted_users_keys_are_demoted_with_them(database: Database):
    user = await new_user(database, DEFAULT_TENANT_ID, "admin")
    key = await user_key(database, DEFAULT_TENANT_ID, user, "admin")
    agent_key = await user_key(database, DEFAULT_TENANT_ID, user, "agent")
    async with database.transaction() as session:
        await session.execute(
            sa.update(Membership).where(Membership.user_id == user.id).values(role="read_only")
        )
    assert (await authenticate_key(database, key)).principal.role == "read_only"  # type: ignore[union-attr]
    assert (await authenticate_key(database, agent_key)).principal is None
    async with database.transaction() as session:
        await session.execute(sa.delete(Membership).where(Membership.user_id == user.id))
    gone = await authenticate_key(database, key)
    assert gone.principal is None and "no longer a member" in (gone.problem or "")


async def test_last_used_is_written_at_most_once_a_minute(database: Database):
    key = await service_key(database, DEFAULT_TENANT_ID)

    async def last_used() -> datetime | None:
        async with database.session() as session:
            return await session.scalar(sa.select(ApiKey.last_used))

    assert await last_used() is None
    await authenticate_key(database, key)
    first = await last_used()
    assert first is not None
    for _ in range(3):
        await authenticate_key(database, key)
    assert await last_used() == first
    async with database.transaction() as session:
        await session.execute(sa.update(ApiKey).values(last_used=first - timedelta(minutes=2)))
    await authenticate_key(database, key)
    assert (await last_used() or first) > first - timedelta(minutes=1)


async def test_service_accounts_for_agents_may_only_claim_and_report(
    http: httpx.AsyncClient, database: Database
):
    team = await staffed_team(database, "svc", DEFAULT_TENANT_ID)
    create = """mutation($name: String!, $role: String!) {
      createServiceAccount(name: $name, role: $role) { key apiKey { role serviceAccount } } }"""
    refused = await gql(http, create, {"name": "a", "role": "agent"}, key=team.keys["member"])
    assert codes(refused) == ["FORBIDDEN"]
    made = data_of(
        await gql(http, create, {"name": "agents", "role": "agent"}, key=team.keys["admin"])
    )
    key = made["createServiceAccount"]["key"]
    assert made["createServiceAccount"]["apiKey"] == {"role": "agent", "serviceAccount": True}
    agent = await gql(
        http,
        'mutation { registerAgent(name: "a1", labels: []) { id } }',
        key=key,
    )
    assert data_of(agent)["registerAgent"]["id"]
    assert codes(await gql(http, FLOWS, key=key)) == ["FORBIDDEN"]
    assert codes(await gql(http, 'mutation { createProject(name: "p") { id } }', key=key)) == [
        "FORBIDDEN"
    ]
    me = data_of(
        await gql(http, "{ me { role user { id } apiKey { name serviceAccount } } }", key=key)
    )
    assert me["me"] == {
        "role": "agent",
        "user": None,
        "apiKey": {"name": "agents", "serviceAccount": True},
    }
    too_high = await gql(http, create, {"name": "o", "role": "owner"}, key=team.keys["admin"])
    assert codes(too_high) == ["FORBIDDEN"]
