"""Team secrets: set, list (names only), delete, hand a value to a run, re-seal on
key rotation.

Values are sealed with the keyring (`services.keyring`) before they reach the session and
opened only by `secret_value`, which answers a flow run of the same team that is
Submitted or Running: a run's own process asks for its secrets while it runs, nothing
else ever reads one back. Listing returns names, times and who set them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa

from proctor.core.secrets import NAME_PATTERN, NAME_RULE
from proctor.server.database import Database
from proctor.server.database.ids import new_id
from proctor.server.database.models import FlowRun, Secret
from proctor.server.errors import Forbidden, InvalidInput, LimitExceeded, NotFound
from proctor.server.services.keyring import Keyring, associated_data
from proctor.server.services.plumbing.tenants import require_tenant
from proctor.server.services.plumbing.validation import as_uuid
from proctor.settings import Settings

#: The states in which a run's process may read its team's secrets.
READING_STATES = ("Submitted", "Running")
RESEAL_BATCH = 100


@dataclass(frozen=True, slots=True)
class SecretRecord:
    """What may be shown about a secret: never its value."""

    name: str
    created: datetime
    updated: datetime
    created_by: str | None
    updated_by: str | None


def secret_name(value: Any) -> str:
    if not isinstance(value, str) or NAME_PATTERN.fullmatch(value) is None:
        raise InvalidInput(
            f"Invalid secret name {str(value)[:80]!r}: use {NAME_RULE}.",
            details={"field": "name"},
        )
    return value


def secret_text(value: Any, max_bytes: int) -> str:
    if not isinstance(value, str) or value == "":
        raise InvalidInput(
            "A secret's value must be a non-empty string.", details={"field": "value"}
        )
    size = len(value.encode())
    if size > max_bytes:
        raise LimitExceeded(
            f"The secret's value is {size} bytes; the limit is {max_bytes} "
            "(PROCTOR_SERVER_SECRETS_MAX_VALUE_BYTES).",
            details={"field": "value", "limit": max_bytes},
        )
    return value


def _record(row: Secret) -> SecretRecord:
    return SecretRecord(row.name, row.created, row.updated, row.created_by, row.updated_by)


async def list_secrets(db: Database, tenant_id: uuid.UUID | str) -> list[SecretRecord]:
    tenant = as_uuid(tenant_id, "tenant_id")
    async with db.session() as session:
        rows = await session.scalars(
            sa.select(Secret).where(Secret.tenant_id == tenant).order_by(Secret.name)
        )
        return [_record(row) for row in rows]


async def set_secret(
    db: Database,
    keyring: Keyring,
    tenant_id: uuid.UUID | str,
    name: str,
    value: str,
    *,
    actor: str | None = None,
    max_bytes: int = 65536,
) -> SecretRecord:
    """Create the secret, or replace its value (same name, same team)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    name = secret_name(name)
    value = secret_text(value, max_bytes)
    sealed, sealed_with = keyring.seal(value, associated_data(tenant, name))
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await require_tenant(session, tenant)
        statement = db.config.insert(cast(sa.Table, Secret.__table__)).values(
            id=new_id(),
            tenant_id=tenant,
            name=name,
            value_encrypted=sealed,
            key_id=sealed_with,
            created=now,
            updated=now,
            created_by=actor,
            updated_by=actor,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "name"],
            set_={
                "value_encrypted": sealed,
                "key_id": sealed_with,
                "updated": now,
                "updated_by": actor,
            },
        )
        await session.execute(statement)
        row = await session.scalar(
            sa.select(Secret)
            .where(Secret.tenant_id == tenant, Secret.name == name)
            .execution_options(populate_existing=True)
        )
        assert row is not None
        return _record(row)


async def delete_secret(db: Database, tenant_id: uuid.UUID | str, name: str) -> bool:
    """Delete the secret; False if the team has none of that name."""
    tenant = as_uuid(tenant_id, "tenant_id")
    name = secret_name(name)
    async with db.transaction() as session:
        result = await session.execute(
            sa.delete(Secret).where(Secret.tenant_id == tenant, Secret.name == name)
        )
        return bool(cast(Any, result).rowcount)


async def secret_value(
    db: Database,
    keyring: Keyring,
    tenant_id: uuid.UUID | str,
    name: str,
    flow_run_id: uuid.UUID | str,
) -> str:
    """The value of secret `name` for flow run `flow_run_id` of the same team, which must
    be Submitted or Running (another team's run is NOT_FOUND, a finished one FORBIDDEN)."""
    tenant = as_uuid(tenant_id, "tenant_id")
    name = secret_name(name)
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.session() as session:
        state = await session.scalar(
            sa.select(FlowRun.state_type).where(FlowRun.tenant_id == tenant, FlowRun.id == run_id)
        )
        if state is None:
            raise NotFound(f"No flow run {run_id}", details={"flow_run_id": str(run_id)})
        if state not in READING_STATES:
            raise Forbidden(
                f"Flow run {run_id} is {state}: secrets are handed only to runs that are "
                "Submitted or Running.",
                details={"flow_run_id": str(run_id), "state": state},
            )
        row = (
            await session.execute(
                sa.select(Secret.value_encrypted, Secret.key_id).where(
                    Secret.tenant_id == tenant, Secret.name == name
                )
            )
        ).one_or_none()
    if row is None:
        raise NotFound(
            f"No secret {name!r} in this team: set it with `proctor secrets set {name}`.",
            details={"name": name},
        )
    return keyring.open(row[0], row[1], associated_data(tenant, name))


# -- key rotation ------------------------------------------------------------------------------


async def reseal_secrets(db: Database, keyring: Keyring, *, batch: int = RESEAL_BATCH) -> int:
    """Seal every secret not sealed with the current key again with it, `batch` rows per
    transaction; returns how many. Each row is updated only if it still holds what was
    read (a value set meanwhile is already sealed with a current key), so stopping at any
    point loses nothing: run it again to finish."""
    done = 0
    while True:
        async with db.transaction() as session:
            rows = (
                await session.execute(
                    sa.select(
                        Secret.id,
                        Secret.tenant_id,
                        Secret.name,
                        Secret.value_encrypted,
                        Secret.key_id,
                    )
                    .where(sa.or_(Secret.key_id.is_(None), Secret.key_id != keyring.current_id))
                    .order_by(Secret.id)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return done
            for row_id, tenant, name, sealed, sealed_with in rows:
                aad = associated_data(tenant, name)
                value = keyring.open(sealed, sealed_with, aad)
                resealed, current = keyring.seal(value, aad)
                result = await session.execute(
                    sa.update(Secret)
                    .where(
                        Secret.id == row_id,
                        Secret.value_encrypted == sealed,
                    )
                    .values(value_encrypted=resealed, key_id=current)
                )
                done += cast(Any, result).rowcount


async def key_ids_in_use(db: Database) -> set[str | None]:
    """The keys some row still needs: team secrets', automation signing secrets' and
    automation actions' (webhook URLs and headers)."""
    from proctor.server.services.alerting.action_secrets import action_key_ids
    from proctor.server.services.alerting.signing import automation_key_ids

    async with db.session() as session:
        used = set(await session.scalars(sa.select(Secret.key_id).distinct()))
    return used | await automation_key_ids(db) | await action_key_ids(db)


async def reseal_all(db: Database, keyring: Keyring) -> int:
    """Re-seal team secrets, automation signing secrets and automation actions'
    credentials with the current key."""
    from proctor.server.services.alerting.action_secrets import reseal_action_secrets
    from proctor.server.services.alerting.signing import reseal_automation_secrets

    return (
        await reseal_secrets(db, keyring)
        + await reseal_automation_secrets(db, keyring)
        + await reseal_action_secrets(db, keyring)
    )


@dataclass(frozen=True, slots=True)
class Rotation:
    new_key_id: str
    resealed: int  # team secrets, automation signing secrets and action credentials
    retired: list[str]  # key ids dropped from the key file (none for keys from settings)
    from_file: bool


async def rotate_key(db: Database, settings: Settings) -> Rotation:
    """Rotate the secrets key: with a key file, add a new current key to it; then seal
    every secret (team secrets and automation signing secrets) with the current key;
    then (key file) drop the keys no row uses.

    Safe to interrupt: the old keys stay in the file until no row needs them, so running
    it again finishes the job (with yet another new key). With keys from settings, set the
    new key as PROCTOR_SERVER_SECRETS_KEY and the old one in ..._OLD_KEYS first.
    """
    from proctor.server.services import keyring as keys

    configured = settings.server.secrets
    if configured.key is not None:
        ring = keys.load_keyring(settings)
        resealed = await reseal_all(db, ring)
        return Rotation(ring.current_id, resealed, [], from_file=False)
    path = keys.key_file_path(settings)
    ring = keys.add_key(path)
    resealed = await reseal_all(db, ring)
    used = await key_ids_in_use(db)
    retired = keys.drop_unused_keys(path, used)
    return Rotation(ring.current_id, resealed, retired, from_file=True)


__all__ = [
    "READING_STATES",
    "Rotation",
    "SecretRecord",
    "delete_secret",
    "key_ids_in_use",
    "list_secrets",
    "reseal_all",
    "reseal_secrets",
    "rotate_key",
    "secret_name",
    "secret_value",
    "set_secret",
]
