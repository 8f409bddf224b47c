"""Automation signing secrets at rest: sealed with the secrets keyring, like team secrets.

A secret is sealed with associated data bound to the tenant and `automation:<id>` (a
sealed value copied to another automation or team does not open) and opened only to sign
a webhook (the notifier) or for the create/update answer that set it. Rows written before
revision 0007 hold a clear `secret`: the server seals them at start-up
(`seal_clear_secrets`, which needs no old key), and `open_secret` still reads one left
clear meanwhile. Key rotation re-seals these rows too (`reseal_automation_secrets`) and
counts their key ids as in use (`automation_key_ids`).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Automation
from proctor.server.services.keyring import Keyring, associated_data, load_keyring
from proctor.settings import Settings

RESEAL_BATCH = 100


def current_keyring(settings: Settings | None = None) -> Keyring:
    """The keyring of `settings` (default: the process settings); re-read on each call so
    a rotation done by another process is seen at once."""
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    return load_keyring(settings)


def _aad(tenant_id: uuid.UUID, automation_id: uuid.UUID) -> bytes:
    return associated_data(tenant_id, f"automation:{automation_id}")


def seal_secret(
    keyring: Keyring, tenant_id: uuid.UUID, automation_id: uuid.UUID, secret: str
) -> dict[str, Any]:
    """The column values that store `secret` sealed (and no clear copy)."""
    sealed, key = keyring.seal(secret, _aad(tenant_id, automation_id))
    return {"secret": None, "secret_sealed": sealed, "secret_key_id": key}


def open_secret(
    keyring: Keyring,
    tenant_id: uuid.UUID,
    automation_id: uuid.UUID,
    sealed: bytes | None,
    key: str | None,
    clear: str | None,
) -> str:
    """The signing secret of a row (`KeyringError` if its key is gone or it was altered)."""
    if sealed is None and clear is not None:
        return clear  # written before 0007 and not sealed yet
    return keyring.open(sealed or b"", key, _aad(tenant_id, automation_id))


def open_row(keyring: Keyring, row: Automation) -> str:
    return open_secret(
        keyring, row.tenant_id, row.id, row.secret_sealed, row.secret_key_id, row.secret
    )


async def seal_clear_secrets(db: Database, keyring: Keyring, *, batch: int = RESEAL_BATCH) -> int:
    """Seal every secret still stored in clear; returns how many (run at start-up)."""
    return await _reseal(db, keyring, Automation.secret.is_not(None), batch)


async def reseal_automation_secrets(
    db: Database, keyring: Keyring, *, batch: int = RESEAL_BATCH
) -> int:
    """Seal with the current key every secret that is not (clear ones included), `batch`
    rows per transaction. A row is updated only if it still holds what was read, so a
    secret set meanwhile is kept and stopping at any point loses nothing."""
    stale = sa.or_(
        Automation.secret.is_not(None),
        Automation.secret_key_id.is_(None),
        Automation.secret_key_id != keyring.current_id,
    )
    return await _reseal(db, keyring, stale, batch)


async def _reseal(db: Database, keyring: Keyring, stale: sa.ColumnElement[bool], batch: int) -> int:
    done = 0
    while True:
        async with db.transaction() as session:
            rows = (
                await session.execute(
                    sa.select(
                        Automation.id,
                        Automation.tenant_id,
                        Automation.secret_sealed,
                        Automation.secret_key_id,
                        Automation.secret,
                    )
                    .where(stale)
                    .order_by(Automation.id)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return done
            for row_id, tenant, sealed, key, clear in rows:
                value = open_secret(keyring, tenant, row_id, sealed, key, clear)
                unchanged = (
                    Automation.secret == clear
                    if clear is not None
                    else Automation.secret_sealed == sealed
                )
                result = await session.execute(
                    sa.update(Automation)
                    .where(Automation.id == row_id, unchanged)
                    .values(**seal_secret(keyring, tenant, row_id, value))
                )
                done += cast(Any, result).rowcount


async def automation_key_ids(db: Database) -> set[str | None]:
    """The keys automation secrets are sealed with (a rotation must keep them)."""
    async with db.session() as session:
        return set(
            await session.scalars(
                sa.select(Automation.secret_key_id)
                .where(Automation.secret_key_id.is_not(None))
                .distinct()
            )
        )


__all__ = [
    "automation_key_ids",
    "current_keyring",
    "open_row",
    "open_secret",
    "reseal_automation_secrets",
    "seal_clear_secrets",
    "seal_secret",
]
