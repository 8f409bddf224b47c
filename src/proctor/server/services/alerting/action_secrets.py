"""The credentials inside automation actions: sealed at rest, masked for readers.

A Slack incoming-webhook URL is its own key, a webhook URL often carries a token in its
path or query, and webhook headers carry `Authorization` values. They are kept out of
the `automation.actions` column, which stores them masked (`mask_action`), and sealed
together, as one JSON document, with the team-secrets keyring (`services.keyring`, the
same keys, rotation and key file as team secrets) into `action_secrets_sealed`, bound to
the tenant and the automation id (a sealed value copied to another automation or team
does not open).

Who sees what: the notifier and the roles that may edit automations get the clear
actions (`open_actions`); everyone else gets `mask_actions` of them, e.g.
`{"Authorization": "****"}` and `https://hooks.slack.com/****`.

Rows written before revision 0009 have no sealed document and clear values in
`actions`: `open_actions` reads them as they are, and the server seals them at start-up
(`seal_clear_actions`). Key rotation re-seals these documents too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlsplit

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Automation
from proctor.server.services.keyring import Keyring, associated_data

MASK = "****"
# The action types whose `url` (and, for webhooks, `headers` values) are credentials.
SECRET_BEARING = frozenset({"webhook", "slack"})
RESEAL_BATCH = 100


def mask_url(url: str) -> str:
    """`https://hooks.slack.com/services/T0/B0/xyz` -> `https://hooks.slack.com/****`:
    the scheme, host and port stay readable (where alerts go); user info, path, query
    and fragment, where tokens live, are masked. Idempotent."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    user = f"{MASK}@" if parts.username or parts.password else ""
    where = f"{host}:{port}" if port is not None else host
    hidden = parts.path not in ("", "/") or parts.query or parts.fragment
    return f"{parts.scheme}://{user}{where}/{MASK if hidden else ''}"


def mask_action(action: dict[str, Any]) -> dict[str, Any]:
    """The action with its credentials masked (other actions unchanged)."""
    if action.get("type") not in SECRET_BEARING:
        return dict(action)
    masked = dict(action)
    if isinstance(masked.get("url"), str):
        masked["url"] = mask_url(masked["url"])
    if isinstance(masked.get("headers"), dict):
        masked["headers"] = dict.fromkeys(masked["headers"], MASK)
    return masked


def mask_actions(actions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [mask_action(action) for action in actions]


def _aad(tenant_id: uuid.UUID, automation_id: uuid.UUID) -> bytes:
    return associated_data(tenant_id, f"automation-actions:{automation_id}")


def _credentials(actions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The clear credentials of `actions`, by action index (a JSON object's keys)."""
    found: dict[str, dict[str, Any]] = {}
    for index, action in enumerate(actions):
        if action.get("type") not in SECRET_BEARING:
            continue
        kept: dict[str, Any] = {key: action[key] for key in ("url", "headers") if key in action}
        if kept:
            found[str(index)] = kept
    return found


def seal_actions(
    keyring: Keyring,
    tenant_id: uuid.UUID,
    automation_id: uuid.UUID,
    actions: list[dict[str, Any]],
) -> dict[str, Any]:
    """The column values that store clear `actions`: masked `actions` and the sealed
    credentials (an empty document when there are none, so that a NULL always means a
    row not sealed yet)."""
    document = json.dumps(_credentials(actions), separators=(",", ":"), sort_keys=True)
    sealed, key = keyring.seal(document, _aad(tenant_id, automation_id))
    return {
        "actions": mask_actions(actions),
        "action_secrets_sealed": sealed,
        "action_secrets_key_id": key,
    }


def open_stored(
    keyring: Keyring,
    tenant_id: uuid.UUID,
    automation_id: uuid.UUID,
    stored: list[dict[str, Any]],
    sealed: bytes | None,
    key: str | None,
) -> list[dict[str, Any]]:
    """The clear actions of a row (`KeyringError` if its key is gone or it was altered)."""
    actions = [dict(action) for action in stored]
    if sealed is None:
        return actions  # written before 0009 and not sealed yet: already clear
    credentials = json.loads(keyring.open(sealed, key, _aad(tenant_id, automation_id)))
    for index, values in credentials.items():
        position = int(index)
        if position < len(actions):
            actions[position].update(values)
    return actions


def open_actions(keyring: Keyring, row: Automation) -> list[dict[str, Any]]:
    return open_stored(
        keyring,
        row.tenant_id,
        row.id,
        list(row.actions),
        row.action_secrets_sealed,
        row.action_secrets_key_id,
    )


async def seal_clear_actions(db: Database, keyring: Keyring, *, batch: int = RESEAL_BATCH) -> int:
    """Seal the actions of every row still stored in clear; returns how many (start-up)."""
    return await _reseal(db, keyring, Automation.action_secrets_sealed.is_(None), batch)


async def reseal_action_secrets(
    db: Database, keyring: Keyring, *, batch: int = RESEAL_BATCH
) -> int:
    """Seal with the current key every row that is not (clear ones included), `batch`
    rows per transaction. A row is updated only if it still holds what was read, so
    actions changed meanwhile are kept and stopping at any point loses nothing."""
    stale = sa.or_(
        Automation.action_secrets_sealed.is_(None),
        Automation.action_secrets_key_id.is_(None),
        Automation.action_secrets_key_id != keyring.current_id,
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
                        Automation.actions,
                        Automation.action_secrets_sealed,
                        Automation.action_secrets_key_id,
                    )
                    .where(stale)
                    .order_by(Automation.id)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return done
            for row_id, tenant, stored, sealed, key in rows:
                clear = open_stored(keyring, tenant, row_id, list(stored), sealed, key)
                unchanged = (
                    Automation.action_secrets_sealed.is_(None)
                    if sealed is None
                    else Automation.action_secrets_sealed == sealed
                )
                result = await session.execute(
                    sa.update(Automation)
                    .where(Automation.id == row_id, unchanged)
                    .values(**seal_actions(keyring, tenant, row_id, clear))
                )
                done += cast(Any, result).rowcount


async def action_key_ids(db: Database) -> set[str | None]:
    """The keys automation actions are sealed with (a rotation must keep them)."""
    async with db.session() as session:
        return set(
            await session.scalars(
                sa.select(Automation.action_secrets_key_id)
                .where(Automation.action_secrets_key_id.is_not(None))
                .distinct()
            )
        )


__all__ = [
    "MASK",
    "action_key_ids",
    "mask_action",
    "mask_actions",
    "mask_url",
    "open_actions",
    "open_stored",
    "reseal_action_secrets",
    "seal_actions",
    "seal_clear_actions",
]
