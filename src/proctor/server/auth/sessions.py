"""Browser sessions: a random token in an HttpOnly cookie, its digest in `auth_session`.

Every login makes a new session (a token planted before login is never promoted: no
fixation); logout deletes the row, so a stolen copy of the cookie dies with it. The CSRF
token of a session is derived from its token (HMAC), so the server checks it without
storing it and a page on another site, which cannot read the cookie, cannot forge it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa

from proctor.server.auth.records import NewSession, SessionInfo
from proctor.server.auth.tokens import derived, digest, new_token
from proctor.server.database import Database
from proctor.server.database.models import AuthSession, Membership, Tenant
from proctor.server.database.types import utcnow
from proctor.server.errors import InvalidInput, NotFound
from proctor.server.services.plumbing.validation import as_uuid

COOKIE = "proctor_session"
CSRF_COOKIE = "proctor_csrf"
CSRF_HEADER = "x-csrf-token"
LAST_SEEN_EVERY = timedelta(minutes=1)


def csrf_token(session_token: str) -> str:
    return derived(session_token, "proctor-csrf")


def _info(row: AuthSession) -> SessionInfo:
    return SessionInfo(id=row.id, user_id=row.user_id, tenant_id=row.tenant_id, expires=row.expires)


async def start_session(db: Database, user_id: uuid.UUID, lifetime_seconds: float) -> NewSession:
    """A new session in the user's first team (by name), expiring after the lifetime."""
    now = utcnow()
    token = new_token()
    async with db.transaction() as session:
        tenant_id = await session.scalar(
            sa.select(Membership.tenant_id)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.user_id == user_id)
            .order_by(Tenant.name, Tenant.id)
            .limit(1)
        )
        row = AuthSession(
            token_hash=digest(token),
            user_id=user_id,
            tenant_id=tenant_id,
            created=now,
            expires=now + timedelta(seconds=lifetime_seconds),
            last_seen=now,
        )
        session.add(row)
        await session.flush()
        # Expired sessions of this user go now: the table never grows with old logins.
        await session.execute(
            sa.delete(AuthSession).where(AuthSession.user_id == user_id, AuthSession.expires < now)
        )
        return NewSession(info=_info(row), token=token)


async def find_session(db: Database, token: str) -> SessionInfo | None:
    """The live session of a cookie token (None when unknown or expired)."""
    now = utcnow()
    async with db.session() as session:
        row = await session.scalar(
            sa.select(AuthSession).where(AuthSession.token_hash == digest(token))
        )
    if row is None or row.expires <= now:
        return None
    if now - row.last_seen >= LAST_SEEN_EVERY:
        async with db.transaction() as session:
            await session.execute(
                sa.update(AuthSession).where(AuthSession.id == row.id).values(last_seen=now)
            )
    return _info(row)


async def end_session(db: Database, token: str) -> bool:
    """Delete the session of `token` server-side; False if there was none."""
    async with db.transaction() as session:
        result = await session.execute(
            sa.delete(AuthSession).where(AuthSession.token_hash == digest(token))
        )
    return bool(getattr(result, "rowcount", 0))


async def end_other_sessions(db: Database, user_id: uuid.UUID, keep: uuid.UUID | None) -> None:
    """Log a user out everywhere but `keep` (after a password change)."""
    async with db.transaction() as session:
        query = sa.delete(AuthSession).where(AuthSession.user_id == user_id)
        if keep is not None:
            query = query.where(AuthSession.id != keep)
        await session.execute(query)


async def switch_team(
    db: Database, session_id: uuid.UUID, user_id: uuid.UUID, team_id: object
) -> uuid.UUID:
    """Make `team_id` the session's current team (NOT_FOUND unless the user is in it)."""
    team = as_uuid(team_id, "teamId")
    async with db.transaction() as session:
        member = await session.scalar(
            sa.select(Membership.id).where(
                Membership.tenant_id == team, Membership.user_id == user_id
            )
        )
        if member is None:
            raise NotFound("No such team.", details={"team_id": str(team_id)})
        result = await session.execute(
            sa.update(AuthSession).where(AuthSession.id == session_id).values(tenant_id=team)
        )
        if not getattr(result, "rowcount", 0):
            raise InvalidInput("This session has ended: log in again.")
    return team


__all__ = [
    "COOKIE",
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "csrf_token",
    "end_other_sessions",
    "end_session",
    "find_session",
    "start_session",
    "switch_team",
]
