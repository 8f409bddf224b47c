"""API keys: `pk_<prefix>_<secret>`, shown once, stored as a SHA-256 digest.

The prefix (8 hex characters) is stored in clear so people can tell their keys apart in
lists; the whole key is needed to authenticate. A key belongs to one team, has a role
(capped by its user's role in the team at each use), may expire, and can be revoked.
`last_used` is refreshed at most once a minute per key, so authenticating is a read, not
a write, on almost every request.

A key created with another key (`parent_key_id`: the key of the request that made it)
cannot outlive it: its expiry is capped to the parent's (the capped expiry is what the
result says), and it stops working once any key up its chain of parents is revoked or
expired. Revoking a key revokes the keys it made, in the same transaction; the check on
every use covers a child made while its parent was being revoked.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from proctor.server.auth.grants import KEY_ROLES, key_role, may_grant
from proctor.server.auth.principal import Principal
from proctor.server.auth.records import ApiKeyInfo, NewApiKey
from proctor.server.auth.tokens import digest, new_token
from proctor.server.database import Database
from proctor.server.database.models import ApiKey, Membership, User
from proctor.server.database.types import utcnow
from proctor.server.errors import Forbidden, InvalidInput, NotFound
from proctor.server.services.plumbing.validation import as_uuid, name_arg

logger = logging.getLogger("proctor.server.auth")

KEY_PREFIX = "pk"
LAST_USED_EVERY = timedelta(minutes=1)


def new_key() -> tuple[str, str]:
    """A fresh key and its display prefix."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}_{prefix}_{new_token()}", prefix


def looks_like_key(value: str) -> bool:
    parts = value.split("_", 2)
    return len(parts) == 3 and parts[0] == KEY_PREFIX and len(parts[1]) == 8 and bool(parts[2])


def _info(row: ApiKey, email: str | None) -> ApiKeyInfo:
    return ApiKeyInfo(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        prefix=row.prefix,
        role=row.role,
        user_id=row.user_id,
        user_email=email,
        service_account=row.service_account,
        created_by=row.created_by,
        created=row.created,
        expires_at=row.expires_at,
        last_used=row.last_used,
        revoked=row.revoked,
    )


async def create_api_key(
    db: Database,
    tenant_id: uuid.UUID,
    *,
    name: str,
    role: str,
    granter_role: str,
    user_id: uuid.UUID | None,
    created_by: uuid.UUID | None,
    expires_at: datetime | None = None,
    service_account: bool = False,
    parent_key_id: uuid.UUID | None = None,
) -> NewApiKey:
    """Make a key; its plaintext is in the result and nowhere else, ever. Made with the
    key `parent_key_id`, it expires no later than that key."""
    name = name_arg(name, "name")
    if role not in KEY_ROLES:
        raise InvalidInput(f"Unknown role {role!r}: one of {', '.join(KEY_ROLES)}.")
    if not may_grant(granter_role, role):
        raise Forbidden(f"Your role ({granter_role}) may not make a key with role {role}.")
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput("expiresAt must be in the future.")
    if service_account == (user_id is not None):
        raise InvalidInput("A key belongs either to a user or to a service account.")
    key, prefix = new_key()
    async with db.transaction() as session:
        if parent_key_id is not None:
            expires_at = await _capped_expiry(session, parent_key_id, expires_at)
        row = ApiKey(
            tenant_id=tenant_id,
            user_id=user_id,
            name=name,
            prefix=prefix,
            key_hash=digest(key),
            role=role,
            expires_at=expires_at,
            revoked=False,
            service_account=service_account,
            created_by=created_by,
            parent_id=parent_key_id,
        )
        session.add(row)
        await session.flush()
        email = (
            await session.scalar(sa.select(User.email).where(User.id == user_id))
            if user_id
            else None
        )
        return NewApiKey(info=_info(row, email), key=key)


def _chain(start: Any, *, up: bool) -> Any:
    """A recursive CTE of key `start` and its ancestors (`up`) or its descendants, with
    what decides whether they still work. The depth bound only guards against a cycle,
    which key creation cannot make (a parent exists before its child)."""
    chain = (
        sa.select(
            ApiKey.id,
            ApiKey.parent_id,
            ApiKey.revoked,
            ApiKey.expires_at,
            sa.literal(0).label("depth"),
        )
        .where(ApiKey.id == start)
        .cte("key_chain", recursive=True)
    )
    step = aliased(ApiKey)
    link = step.id == chain.c.parent_id if up else step.parent_id == chain.c.id
    return chain.union_all(
        sa.select(step.id, step.parent_id, step.revoked, step.expires_at, chain.c.depth + 1)
        .join(chain, link)
        .where(chain.c.depth < _MAX_DEPTH)
    )


_MAX_DEPTH = 64


async def _capped_expiry(
    session: AsyncSession, parent_key_id: uuid.UUID, wanted: datetime | None
) -> datetime | None:
    """`wanted`, or the earliest expiry up the parent's chain if that comes sooner (or
    `wanted` is None). A parent that has ended makes no keys."""
    chain = _chain(parent_key_id, up=True)
    rows = (await session.execute(sa.select(chain.c.revoked, chain.c.expires_at))).all()
    now = utcnow()
    if not rows or any(revoked for revoked, _ in rows):
        raise Forbidden("The API key making this request has been revoked.")
    # Both walks of a chain (the revocation's and every use's) stop after _MAX_DEPTH keys:
    # a longer chain would leave its last keys working after its first one was revoked.
    if len(rows) >= _MAX_DEPTH:
        raise Forbidden(
            f"The API key making this request ends a chain of {_MAX_DEPTH} keys made with "
            "keys, the longest there may be: make this key while logged in, or with a key "
            "higher up the chain."
        )
    ends = [expires for _, expires in rows if expires is not None]
    if any(end <= now for end in ends):
        raise Forbidden("The API key making this request has expired.")
    return min([*ends, wanted] if wanted is not None else ends, default=None)


async def _ended_ancestor(session: AsyncSession, key: ApiKey, now: datetime) -> str | None:
    """Why `key` no longer works because of a key up its chain (None: they all work)."""
    if key.parent_id is None:
        return None
    chain = _chain(key.parent_id, up=True)
    rows = (await session.execute(sa.select(chain.c.revoked, chain.c.expires_at))).all()
    if not rows or any(revoked for revoked, _ in rows):
        return "This API key has ended: the key that created it was revoked."
    if any(expires is not None and expires <= now for _, expires in rows):
        return "This API key has ended: the key that created it has expired."
    return None


async def list_api_keys(
    db: Database, tenant_id: uuid.UUID, *, user_id: uuid.UUID | None = None
) -> list[ApiKeyInfo]:
    """The team's keys (only `user_id`'s when given), newest first; never a hash."""
    query = (
        sa.select(ApiKey, User.email)
        .outerjoin(User, User.id == ApiKey.user_id)
        .where(ApiKey.tenant_id == tenant_id)
        .order_by(ApiKey.created.desc(), ApiKey.id.desc())
    )
    if user_id is not None:
        query = query.where(ApiKey.user_id == user_id)
    async with db.session() as session:
        return [_info(row, email) for row, email in (await session.execute(query)).all()]


async def revoke_api_key(
    db: Database, tenant_id: uuid.UUID, key_id: Any, *, only_user: uuid.UUID | None = None
) -> ApiKeyInfo:
    """Revoke a key of the team (only one of `only_user`'s when given: the others are
    NOT_FOUND to them, like keys of other teams)."""
    wanted = as_uuid(key_id, "id")
    async with db.transaction() as session:
        query = sa.select(ApiKey).where(ApiKey.tenant_id == tenant_id, ApiKey.id == wanted)
        if only_user is not None:
            query = query.where(ApiKey.user_id == only_user)
        row = await session.scalar(query)
        if row is None:
            raise NotFound("No such API key.", details={"id": str(key_id)})
        row.revoked = True
        await session.flush()
        # The keys it made (and theirs) end with it; shown as revoked in lists too.
        descendants = _chain(row.id, up=False)
        await session.execute(
            sa.update(ApiKey)
            .where(ApiKey.id.in_(sa.select(descendants.c.id)), ApiKey.revoked.is_(False))
            .values(revoked=True)
        )
        email = (
            await session.scalar(sa.select(User.email).where(User.id == row.user_id))
            if row.user_id
            else None
        )
        return _info(row, email)


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """The outcome of presenting a key: a principal, or why there is none."""

    principal: Principal | None
    problem: str | None = None


async def authenticate_key(db: Database, key: str) -> KeyCheck:
    """The principal of `key`, or the reason it is refused (unknown, revoked, expired,
    a key up its chain of parents revoked or expired, its user left the team)."""
    if not looks_like_key(key):
        return KeyCheck(None, "This is not a Proctor API key (they look like pk_xxxxxxxx_...).")
    now = utcnow()
    async with db.session() as session:
        found = (
            await session.execute(
                sa.select(ApiKey, Membership.role, User.is_active)
                .outerjoin(
                    Membership,
                    sa.and_(
                        Membership.tenant_id == ApiKey.tenant_id,
                        Membership.user_id == ApiKey.user_id,
                    ),
                )
                .outerjoin(User, User.id == ApiKey.user_id)
                .where(ApiKey.key_hash == digest(key))
            )
        ).first()
        # Read in the same snapshot as the key: one more query, for child keys only.
        ended = await _ended_ancestor(session, found[0], now) if found is not None else None
    if found is None:
        return KeyCheck(None, "Unknown API key.")
    row, member_role, active = found
    if row.revoked:
        return KeyCheck(None, "This API key was revoked.")
    if row.expires_at is not None and row.expires_at <= now:
        return KeyCheck(None, "This API key has expired.")
    if ended is not None:
        return KeyCheck(None, ended)
    role: str | None = row.role
    if row.user_id is not None:
        if member_role is None or not active:
            return KeyCheck(None, "This API key's user is no longer a member of its team.")
        role = key_role(row.role, member_role)
    if role is None:
        return KeyCheck(None, "This API key's user may no longer use its role.")
    if row.last_used is None or now - row.last_used >= LAST_USED_EVERY:
        await _touch(db, row.id, now)
    principal = Principal(
        tenant_id=row.tenant_id,
        role=role,  # type: ignore[arg-type]  # one of KEY_ROLES, checked on creation
        kind="api_key",
        user_id=row.user_id,
        api_key_id=row.id,
    )
    return KeyCheck(principal)


async def _touch(db: Database, key_id: uuid.UUID, now: datetime) -> None:
    """Refresh `last_used` (conditionally: concurrent requests write it once)."""
    try:
        async with db.transaction() as session:
            await session.execute(
                sa.update(ApiKey)
                .where(
                    ApiKey.id == key_id,
                    sa.or_(ApiKey.last_used.is_(None), ApiKey.last_used < now - LAST_USED_EVERY),
                )
                .values(last_used=now)
            )
    except Exception as error:  # bookkeeping: never fail the request for it
        logger.warning("Could not record the use of API key %s: %s", key_id, error)


__all__ = [
    "KEY_PREFIX",
    "LAST_USED_EVERY",
    "KeyCheck",
    "authenticate_key",
    "create_api_key",
    "list_api_keys",
    "looks_like_key",
    "new_key",
    "revoke_api_key",
]
