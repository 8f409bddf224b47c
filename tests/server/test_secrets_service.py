"""Secrets in the database: sealed at rest, handed only to a live run of the team, and
re-sealed by key rotation without ever becoming unreadable. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import os
import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Secret, Tenant, metadata
from proctor.server.errors import Forbidden, InvalidInput, LimitExceeded, NotFound
from proctor.server.services import keyring as keys
from proctor.server.services import secrets
from proctor.server.services.agents import claim_due_runs, register_agent
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.plumbing.inputs import FlowRunStateChange
from proctor.settings import get_settings, temporary_settings

VALUE = "plain-Secret-VALUE-0123456789"


async def new_team(db: Database, name: str) -> uuid.UUID:
    async with db.transaction() as session:
        tenant = Tenant(name=name, slug=f"{name}-{uuid.uuid4().hex[:6]}", settings={})
        session.add(tenant)
        await session.flush()
        return tenant.id


async def claimed_run(db: Database, registered_flow) -> str:
    """A flow run of the default team, Submitted to an agent."""
    run = await create_flow_run(
        db, DEFAULT_TENANT_ID, flow_id=registered_flow.id, parameters={"who": "me"}
    )
    agent = await register_agent(db, DEFAULT_TENANT_ID, "box")
    [claimed] = await claim_due_runs(db, DEFAULT_TENANT_ID, agent.id)
    assert claimed.id == run.id and claimed.state == "Submitted"
    return str(run.id)


async def every_row_as_text(database_url: str, db: Database) -> str:
    """Every row of every table, as text (PostgreSQL: row_to_json of each table)."""
    url = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(url)
    try:
        parts = []
        for table in metadata.sorted_tables:
            rows = await connection.fetch(f'SELECT row_to_json(t)::text FROM "{table.name}" t')
            parts.extend(row[0] for row in rows)
        # bytea columns render as \x<hex>: look for the value's hex too.
        return "\n".join(parts)
    finally:
        await connection.close()


async def test_values_are_sealed_at_rest_and_never_listed(database: Database, database_url: str):
    ring = keys.load_keyring(get_settings())
    record = await secrets.set_secret(
        database, ring, DEFAULT_TENANT_ID, "API_TOKEN", VALUE, actor="local"
    )
    assert (record.name, record.created_by, record.updated_by) == ("API_TOKEN", "local", "local")
    assert VALUE not in repr(record)
    [listed] = await secrets.list_secrets(database, DEFAULT_TENANT_ID)
    assert listed.name == "API_TOKEN" and not hasattr(listed, "value")

    async with database.session() as session:
        row = await session.scalar(sa.select(Secret))
    assert row is not None and row.key_id == ring.current_id
    assert VALUE.encode() not in row.value_encrypted
    await database.dispose()  # checkpoint-free: the WAL file is read too
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())
        assert b"API_TOKEN" in stored  # the name is there, so the grep can find things
        assert VALUE.encode() not in stored
    else:
        await database.connect()
        text = await every_row_as_text(database_url, database)
        assert "API_TOKEN" in text
        assert VALUE not in text and VALUE.encode().hex() not in text


async def test_a_value_is_handed_only_to_a_live_run_of_the_team(
    database: Database, registered_flow
):
    ring = keys.load_keyring(get_settings())
    await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "TOKEN", VALUE)
    scheduled = await create_flow_run(
        database,
        DEFAULT_TENANT_ID,
        flow_id=registered_flow.id,
        parameters={"who": "x"},
        scheduled_start_time=datetime.now(UTC) + timedelta(hours=1),
    )
    with pytest.raises(Forbidden, match="Scheduled"):
        await secrets.secret_value(database, ring, DEFAULT_TENANT_ID, "TOKEN", scheduled.id)
    run_id = await claimed_run(database, registered_flow)
    assert await secrets.secret_value(database, ring, DEFAULT_TENANT_ID, "TOKEN", run_id) == VALUE
    with pytest.raises(NotFound, match="proctor secrets set MISSING"):
        await secrets.secret_value(database, ring, DEFAULT_TENANT_ID, "MISSING", run_id)

    other = await new_team(database, "other")
    await secrets.set_secret(database, ring, other, "TOKEN", "the-other-teams-value")
    # Another team's run, whatever its id: not found, never forbidden.
    with pytest.raises(NotFound):
        await secrets.secret_value(database, ring, other, "TOKEN", run_id)
    assert await secrets.secret_value(database, ring, DEFAULT_TENANT_ID, "TOKEN", run_id) == VALUE
    assert [s.name for s in await secrets.list_secrets(database, other)] == ["TOKEN"]
    assert await secrets.delete_secret(database, other, "TOKEN") is True
    assert await secrets.delete_secret(database, other, "TOKEN") is False
    assert [s.name for s in await secrets.list_secrets(database, DEFAULT_TENANT_ID)] == ["TOKEN"]

    await set_flow_run_states(
        database,
        DEFAULT_TENANT_ID,
        [FlowRunStateChange(run_id, {"type": "Cancelled", "message": "stop"})],
    )
    with pytest.raises(Forbidden, match="Cancelled"):
        await secrets.secret_value(database, ring, DEFAULT_TENANT_ID, "TOKEN", run_id)


async def test_bad_names_and_values_change_nothing(database: Database):
    ring = keys.load_keyring(get_settings())
    for name in ("", "1ST", "has space", "a-b", "x" * 201, None):
        with pytest.raises(InvalidInput):
            await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, name, "value")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "EMPTY", "")
    with pytest.raises(LimitExceeded):
        await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "BIG", "x" * 11, max_bytes=10)
    assert await secrets.list_secrets(database, DEFAULT_TENANT_ID) == []


async def test_replacing_a_value_keeps_the_creator_and_seals_again(database: Database):
    ring = keys.load_keyring(get_settings())
    first = await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "K", "one-value", actor="a")
    again = await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "K", "two-value", actor="b")
    assert (again.created_by, again.updated_by) == ("a", "b")
    assert again.created == first.created and again.updated >= first.updated
    async with database.session() as session:
        sealed = await session.scalar(sa.select(Secret.value_encrypted))
    assert sealed is not None
    aad = keys.associated_data(DEFAULT_TENANT_ID, "K")
    assert ring.open(sealed, ring.current_id, aad) == "two-value"
    with pytest.raises(keys.KeyringError):  # bound to its team and name
        ring.open(sealed, ring.current_id, keys.associated_data(DEFAULT_TENANT_ID, "L"))


async def test_the_key_file_is_private_and_rotation_keeps_values_readable(
    database: Database, isolated_home: Path
):
    settings = get_settings()
    ring = keys.load_keyring(settings)
    path = isolated_home / "secrets.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = await new_team(database, "rot")
    values = {(DEFAULT_TENANT_ID, f"S{i}"): f"value-number-{i}" for i in range(5)}
    values[(other, "S0")] = "other-team-value"
    for (tenant, name), value in values.items():
        await secrets.set_secret(database, ring, tenant, name, value)

    rotation = await secrets.rotate_key(database, settings)
    assert rotation.from_file and rotation.resealed == len(values)
    assert rotation.new_key_id != ring.current_id and rotation.retired == [ring.current_id]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(json.loads(path.read_text())["keys"]) == [rotation.new_key_id]
    rotated = keys.load_keyring(settings)  # re-read: the file changed
    assert rotated.current_id == rotation.new_key_id and ring.current_id not in rotated.keys
    async with database.session() as session:
        rows = (
            await session.execute(sa.select(Secret.tenant_id, Secret.name, Secret.key_id))
        ).all()
    assert {key for _, _, key in rows} == {rotation.new_key_id}
    for tenant, name, _key in rows:
        run_free = await _open(database, rotated, tenant, name)
        assert run_free == values[(tenant, name)]


async def test_an_interrupted_rotation_loses_nothing(database: Database, isolated_home: Path):
    settings = get_settings()
    ring = keys.load_keyring(settings)
    await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "A", "value-a-1234")
    path = isolated_home / "secrets.key"
    # Two rotations stopped right after writing their new key, before re-sealing.
    keys.add_key(path)
    keys.add_key(path)
    ring_now = keys.load_keyring(settings)
    assert len(ring_now.keys) == 3
    assert await _open(database, ring_now, DEFAULT_TENANT_ID, "A") == "value-a-1234"
    # A value set meanwhile is sealed with the newest key.
    await secrets.set_secret(database, ring_now, DEFAULT_TENANT_ID, "B", "value-b-5678")
    rotation = await secrets.rotate_key(database, settings)
    assert rotation.resealed == 2 and len(rotation.retired) == 3
    final = keys.load_keyring(settings)
    assert list(final.keys) == [rotation.new_key_id]
    assert await _open(database, final, DEFAULT_TENANT_ID, "A") == "value-a-1234"
    assert await _open(database, final, DEFAULT_TENANT_ID, "B") == "value-b-5678"


async def test_keys_from_settings_and_their_rotation(database: Database, isolated_home: Path):
    old, new = os.urandom(32), os.urandom(32)
    old_text = base64.urlsafe_b64encode(old).decode()
    with temporary_settings(server_secrets_key=old_text) as settings:
        ring = keys.load_keyring(settings)
        await secrets.set_secret(database, ring, DEFAULT_TENANT_ID, "A", "value-under-old")
    assert not (isolated_home / "secrets.key").exists()
    with temporary_settings(
        server_secrets_key=base64.b64encode(new).decode(),
        server_secrets_old_keys=json.dumps([old_text]),
    ) as settings:
        rotation = await secrets.rotate_key(database, settings)
        assert not rotation.from_file and rotation.resealed == 1
        assert rotation.new_key_id == keys.key_id(new)
    with temporary_settings(server_secrets_key=base64.b64encode(new).decode()) as settings:
        ring = keys.load_keyring(settings)
        assert list(ring.keys) == [keys.key_id(new)]
        assert await _open(database, ring, DEFAULT_TENANT_ID, "A") == "value-under-old"
    with (
        temporary_settings(server_secrets_key="not base64!") as settings,
        pytest.raises(keys.KeyringError, match="PROCTOR_SERVER_SECRETS_KEY"),
    ):
        keys.load_keyring(settings)


async def _open(db: Database, ring: keys.Keyring, tenant: uuid.UUID, name: str) -> str:
    async with db.session() as session:
        sealed, key = (
            await session.execute(
                sa.select(Secret.value_encrypted, Secret.key_id).where(
                    Secret.tenant_id == tenant, Secret.name == name
                )
            )
        ).one()
    return ring.open(sealed, key, keys.associated_data(tenant, name))
