"""A key made with another key cannot outlive it: its expiry is capped to its parent's,
and it ends when its parent (or any key up the chain) is revoked or expires. Against a
real server process on both databases, plus the check on every use in process (a child
whose parent was revoked without the cascade, as when the two raced)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.server.auth.helpers import new_user, user_key
from tests.server.auth.live_server import OWNER, OWNER_PASSWORD, auth_server, sync_client_from

from proctor.server.auth import api_keys
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import ApiKey
from proctor.testing import ServerProcess

ME = "{ me { role apiKey { id } } }"
CREATE = (
    "mutation($name: String!, $expiresAt: DateTime) { createApiKey(name: $name, "
    "expiresAt: $expiresAt) { key apiKey { id expiresAt } } }"
)
SERVICE = (
    "mutation($name: String!, $expiresAt: DateTime) { createServiceAccount(name: $name, "
    "expiresAt: $expiresAt) { key apiKey { id expiresAt } } }"
)
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { revoked } }"
LIST = "{ apiKeys { id revoked expiresAt } }"


@dataclass
class Owner:
    """The server's owner, logged in with a browser session."""

    http: httpx.Client
    csrf: str

    def gql(self, query: str, variables: dict[str, Any] | None = None, key: str | None = None):
        """A GraphQL request with the session, or with `key` alone (no cookie)."""
        payload = {"query": query, "variables": variables or {}}
        if key is None:
            response = self.http.post("/graphql", json=payload, headers={"x-csrf-token": self.csrf})
        else:
            with httpx.Client(base_url=self.http.base_url, timeout=30) as bare:
                headers = {"authorization": f"Bearer {key}"}
                response = bare.post("/graphql", json=payload, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def _data(body: dict[str, Any]) -> dict[str, Any]:
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def _refusal(body: dict[str, Any]) -> str:
    """The message of the UNAUTHENTICATED error of a refused key."""
    errors = body.get("errors") or []
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"], body
    return str(errors[0]["message"])


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


@pytest.fixture
def owner(database_url: str, tmp_path: Path) -> Iterator[Owner]:
    with auth_server(database_url, tmp_path / "home", {}) as server:
        logged_in = _login(server)
        try:
            yield logged_in
        finally:
            logged_in.http.close()


def _login(server: ServerProcess) -> Owner:
    http = sync_client_from(server.url)
    response = http.post("/auth/login", json={"email": OWNER, "password": OWNER_PASSWORD})
    assert response.status_code == 200, response.text
    return Owner(http, response.json()["csrfToken"])


def _make(owner: Owner, name: str, *, by: str | None = None, expires: datetime | None = None):
    variables = {"name": name, "expiresAt": expires.isoformat() if expires else None}
    made = _data(owner.gql(CREATE, variables, key=by))["createApiKey"]
    return made["key"], made["apiKey"]["id"], _when(made["apiKey"]["expiresAt"])


@pytest.mark.slow
def test_a_key_made_with_a_key_gets_an_expiry_no_later_than_its_parent(owner: Owner):
    parent_ends = datetime.now(UTC) + timedelta(days=1)
    parent, _, parent_expiry = _make(owner, "parent", expires=parent_ends)
    assert parent_expiry == parent_ends
    # No expiry asked: it gets the parent's. A later one: capped to the parent's.
    child, child_id, child_expiry = _make(owner, "child", by=parent)
    _, later_id, later_expiry = _make(
        owner, "later", by=parent, expires=parent_ends + timedelta(days=1)
    )
    assert child_expiry == parent_expiry and later_expiry == parent_expiry
    # An earlier expiry is kept as asked.
    sooner_ends = parent_ends - timedelta(hours=1)
    _, _, sooner_expiry = _make(owner, "sooner", by=parent, expires=sooner_ends)
    assert sooner_expiry == sooner_ends
    # Service accounts made with a key follow the same rule.
    service = _data(owner.gql(SERVICE, {"name": "ci"}, key=parent))["createServiceAccount"]
    assert _when(service["apiKey"]["expiresAt"]) == parent_expiry
    # A grandchild cannot outlive its grandparent, whatever its parent asked.
    _, grandchild_id, grandchild_expiry = _make(owner, "grandchild", by=child)
    assert grandchild_expiry == parent_expiry
    # The capped expiry is the one kept, not only the one shown.
    listed = {k["id"]: _when(k["expiresAt"]) for k in _data(owner.gql(LIST))["apiKeys"]}
    assert [listed[i] for i in (child_id, later_id, grandchild_id)] == [parent_expiry] * 3
    # Keys made in a browser session are not capped by anything.
    _, _, session_expiry = _make(owner, "laptop", expires=parent_ends + timedelta(days=30))
    _, _, forever = _make(owner, "forever")
    assert session_expiry == parent_ends + timedelta(days=30) and forever is None


@pytest.mark.slow
def test_keys_made_by_a_short_lived_key_stop_working_when_it_expires(owner: Owner):
    # A few seconds: enough to make three keys, and the test waits on the server's answer
    # (the parent refused as expired), never on a duration.
    parent, _, _ = _make(owner, "short", expires=datetime.now(UTC) + timedelta(seconds=8))
    child, _, _ = _make(owner, "child", by=parent)
    grandchild, _, _ = _make(owner, "grandchild", by=child)
    service = _data(owner.gql(SERVICE, {"name": "ci"}, key=parent))["createServiceAccount"]
    for key in (child, grandchild):
        assert _data(owner.gql(ME, key=key))["me"]["role"] == "owner"
    assert _data(owner.gql(ME, key=service["key"]))["me"]["role"] == "agent"

    deadline = time.monotonic() + 120
    while "errors" not in owner.gql(ME, key=parent):
        assert time.monotonic() < deadline, "the parent key never expired"
        time.sleep(0.2)
    assert "expired" in _refusal(owner.gql(ME, key=parent))
    for key in (child, grandchild, service["key"]):
        assert "expired" in _refusal(owner.gql(ME, key=key))
    # An expired key makes no more keys.
    refused = owner.gql(CREATE, {"name": "more"}, key=parent)
    assert refused["data"] is None and "expired" in _refusal(refused)


@pytest.mark.slow
def test_revoking_a_key_ends_the_keys_it_made(owner: Owner):
    parent, parent_id, _ = _make(owner, "laptop")
    child, child_id, child_expiry = _make(owner, "script", by=parent)
    assert child_expiry is None  # a parent without expiry caps nothing
    grandchild, grandchild_id, _ = _make(owner, "job", by=child)
    unrelated, unrelated_id, _ = _make(owner, "other")
    for key in (parent, child, grandchild, unrelated):
        assert _data(owner.gql(ME, key=key))["me"]["role"] == "owner"

    # Revoking a child ends it and what it made, never its parent.
    spare, spare_id, _ = _make(owner, "spare", by=parent)
    spare_child, _, _ = _make(owner, "spare child", by=spare)
    assert _data(owner.gql(REVOKE, {"id": spare_id}))["revokeApiKey"]["revoked"] is True
    for key in (spare, spare_child):
        assert "revoked" in _refusal(owner.gql(ME, key=key))
    assert _data(owner.gql(ME, key=parent))["me"]["role"] == "owner"

    assert _data(owner.gql(REVOKE, {"id": parent_id}))["revokeApiKey"]["revoked"] is True
    for key in (parent, child, grandchild):
        assert "revoked" in _refusal(owner.gql(ME, key=key))
    assert _data(owner.gql(ME, key=unrelated))["me"]["role"] == "owner"
    listed = {k["id"]: k["revoked"] for k in _data(owner.gql(LIST))["apiKeys"]}
    assert listed[child_id] and listed[grandchild_id] and not listed[unrelated_id]
    # A revoked key makes no more keys.
    refused = owner.gql(CREATE, {"name": "more"}, key=parent)
    assert refused["data"] is None and "revoked" in _refusal(refused)


async def test_a_child_whose_parent_was_revoked_alone_is_refused(database: Database):
    """The cascade on revocation runs in the revoking transaction; a child created
    concurrently escapes it, so every use also walks up the chain. Revoke only the
    parent's row, as that race would leave it."""
    user = await new_user(database, DEFAULT_TENANT_ID, "admin")
    parent = await user_key(database, DEFAULT_TENANT_ID, user, "admin")
    parent_id = (await api_keys.authenticate_key(database, parent)).principal.api_key_id  # type: ignore[union-attr]

    async def made_by(key_id: Any) -> tuple[str, Any]:
        made = await api_keys.create_api_key(
            database, DEFAULT_TENANT_ID, name="child", role="member", granter_role="admin",
            user_id=user.id, created_by=user.id, parent_key_id=key_id,
        )  # fmt: skip
        return made.key, made.info.id

    child, child_id = await made_by(parent_id)
    grandchild, _ = await made_by(child_id)
    assert (await api_keys.authenticate_key(database, grandchild)).principal is not None
    async with database.transaction() as session:
        await session.execute(sa.update(ApiKey).where(ApiKey.id == parent_id).values(revoked=True))
    for key in (child, grandchild):
        checked = await api_keys.authenticate_key(database, key)
        assert checked.principal is None
        assert checked.problem == "This API key has ended: the key that created it was revoked."
    # An expired ancestor ends its descendants the same way (whatever their own expiry).
    async with database.transaction() as session:
        await session.execute(
            sa.update(ApiKey)
            .where(ApiKey.id == parent_id)
            .values(revoked=False, expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    checked = await api_keys.authenticate_key(database, grandchild)
    assert checked.problem == "This API key has ended: the key that created it has expired."
