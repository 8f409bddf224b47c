"""Building blocks of the auth tests: teams, people, keys, and requests made as them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from proctor.server.auth import api_keys
from proctor.server.auth.passwords import Passwords
from proctor.server.auth.records import UserInfo
from proctor.server.auth.users import add_user, user_info
from proctor.server.database import Database
from proctor.server.database.models import Membership, Tenant

PASSWORD = "correct horse battery staple"
# argon2id at its cheapest: the tests exercise the logic, not the cost.
CHEAP_ARGON2 = {
    "server_auth_argon2_time_cost": "1",
    "server_auth_argon2_memory_kib": "8",
    "server_auth_argon2_parallelism": "1",
}
FAST = Passwords(time_cost=1, memory_kib=8, parallelism=1)
HUMAN_ROLES = ("owner", "admin", "member", "read_only")


async def new_team(db: Database, name: str) -> uuid.UUID:
    async with db.transaction() as session:
        tenant = Tenant(name=name, slug=f"{name}-{uuid.uuid4().hex[:6]}", settings={})
        session.add(tenant)
        await session.flush()
        return tenant.id


async def new_user(
    db: Database, tenant_id: uuid.UUID, role: str, email: str | None = None
) -> UserInfo:
    """A person with password `PASSWORD` and `role` in the team."""
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    hashed = FAST.hash_now(PASSWORD)
    async with db.transaction() as session:
        user = await add_user(session, email, hashed, None)
        session.add(Membership(tenant_id=tenant_id, user_id=user.id, role=role))
        return user_info(user)


async def join(db: Database, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str) -> None:
    async with db.transaction() as session:
        session.add(Membership(tenant_id=tenant_id, user_id=user_id, role=role))


async def user_key(db: Database, tenant_id: uuid.UUID, user: UserInfo, role: str, **kw: Any) -> str:
    made = await api_keys.create_api_key(
        db,
        tenant_id,
        name=f"{role} key",
        role=role,
        granter_role="owner",
        user_id=user.id,
        created_by=user.id,
        **kw,
    )
    return made.key


async def service_key(db: Database, tenant_id: uuid.UUID, role: str = "agent", **kw: Any) -> str:
    made = await api_keys.create_api_key(
        db,
        tenant_id,
        name=f"svc-{uuid.uuid4().hex[:6]}",
        role=role,
        granter_role="owner",
        user_id=None,
        created_by=None,
        service_account=True,
        **kw,
    )
    return made.key


@dataclass
class TeamFixture:
    """A team with one person per human role, each with a key, and an agent key."""

    id: uuid.UUID
    users: dict[str, UserInfo] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


async def staffed_team(db: Database, name: str, tenant_id: uuid.UUID | None = None) -> TeamFixture:
    team = TeamFixture(tenant_id or await new_team(db, name))
    for role in HUMAN_ROLES:
        user = await new_user(db, team.id, role, f"{role}@{name}.example.com")
        team.users[role] = user
        team.keys[role] = await user_key(db, team.id, user, role)
    team.keys["agent"] = await service_key(db, team.id)
    return team


async def gql(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    sent = dict(headers or {})
    if key is not None:
        sent["authorization"] = f"Bearer {key}"
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def count(db: Database, table: str) -> int:
    async with db.session() as session:
        return int(await session.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0)


__all__ = [
    "CHEAP_ARGON2",
    "FAST",
    "HUMAN_ROLES",
    "PASSWORD",
    "TeamFixture",
    "codes",
    "count",
    "data_of",
    "gql",
    "join",
    "new_team",
    "new_user",
    "service_key",
    "staffed_team",
    "user_key",
]


class Browser:
    """A logged-in browser: the session cookie, and the CSRF header on every POST."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf = ""

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = await self.http.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        self.csrf = str(body["csrfToken"])
        return body

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await gql(self.http, query, variables, headers={"x-csrf-token": self.csrf})
