"""Invitations: an owner or admin invites an email address to the team with a role; the
invitation's one-time token (shown once, stored as a digest) lets its holder join:

- a new person sets a password and gets an account;
- someone with an account joins as the user they are logged in as (or by giving their
  password), and only if that user has the invited email.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from proctor.server.auth.grants import may_grant
from proctor.server.auth.passwords import Passwords, check_policy
from proctor.server.auth.records import InvitationInfo, NewInvitation, TeamInfo, UserInfo
from proctor.server.auth.teams import human_role
from proctor.server.auth.tokens import digest, new_token
from proctor.server.auth.users import add_user, normalize_email, user_info
from proctor.server.database import Database
from proctor.server.database.models import Invitation, Membership, Tenant, User
from proctor.server.database.types import utcnow
from proctor.server.errors import Conflict, Forbidden, InvalidInput


def _info(row: Invitation) -> InvitationInfo:
    return InvitationInfo(row.id, row.tenant_id, row.email, row.role, row.expires, row.accepted)


async def invite(
    db: Database,
    tenant_id: uuid.UUID,
    *,
    email: str,
    role: str,
    inviter_role: str,
    inviter_id: uuid.UUID | None,
    lifetime_seconds: float,
) -> NewInvitation:
    email = normalize_email(email)
    role = human_role(role)
    if not may_grant(inviter_role, role):
        raise Forbidden(f"Your role ({inviter_role}) may not invite someone as {role}.")
    token = new_token()
    async with db.transaction() as session:
        already = await session.scalar(
            sa.select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant_id, User.email == email)
        )
        if already is not None:
            raise Conflict(f"{email} is already a member of this team.")
        row = Invitation(
            tenant_id=tenant_id,
            email=email,
            role=role,
            token_hash=digest(token),
            expires=utcnow() + timedelta(seconds=lifetime_seconds),
            invited_by=inviter_id,
        )
        session.add(row)
        await session.flush()
        return NewInvitation(info=_info(row), token=token)


async def list_invitations(db: Database, tenant_id: uuid.UUID) -> list[InvitationInfo]:
    """The team's invitations not accepted yet, newest first."""
    async with db.session() as session:
        rows = await session.scalars(
            sa.select(Invitation)
            .where(Invitation.tenant_id == tenant_id, Invitation.accepted.is_(None))
            .order_by(Invitation.created.desc())
        )
        return [_info(row) for row in rows]


_INVALID = "This invitation is unknown, expired or already used."


async def accept(
    db: Database,
    passwords: Passwords,
    token: str,
    *,
    current_user: uuid.UUID | None,
    password: str | None,
    name: str | None,
) -> tuple[UserInfo, TeamInfo]:
    """Join the invitation's team; returns the user and the team (with the new role)."""
    if not isinstance(token, str) or not token:
        raise InvalidInput(_INVALID)
    async with db.session() as session:
        invitation = await session.scalar(
            sa.select(Invitation).where(Invitation.token_hash == digest(token))
        )
        if invitation is None or invitation.accepted is not None or invitation.expires <= utcnow():
            raise InvalidInput(_INVALID)
        existing = await session.scalar(sa.select(User).where(User.email == invitation.email))
    new_hash: str | None = None
    if existing is None:
        if password is None:
            raise InvalidInput("Choose a password to create your account.")
        new_hash = await passwords.hash(check_policy(password))
    elif existing.id != current_user and (
        # Someone with an account must prove it is them: a session, a key, or the password.
        password is None or not await passwords.verify(existing.password_hash, password)
    ):
        raise InvalidInput(
            f"Log in as {existing.email} (or give that account's password) to accept."
        )
    try:
        async with db.transaction() as session:
            # Claim the invitation first: of two concurrent acceptances, one wins.
            claimed = await session.execute(
                sa.update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.accepted.is_(None))
                .values(accepted=utcnow())
            )
            if not getattr(claimed, "rowcount", 0):
                raise InvalidInput(_INVALID)
            if existing is None:
                assert new_hash is not None
                user = await add_user(session, invitation.email, new_hash, name)
            else:
                user = existing
            await session.execute(
                sa.update(Invitation)
                .where(Invitation.id == invitation.id)
                .values(accepted_by=user.id)
            )
            member = await session.scalar(
                sa.select(Membership).where(
                    Membership.tenant_id == invitation.tenant_id, Membership.user_id == user.id
                )
            )
            if member is None:
                session.add(
                    Membership(
                        tenant_id=invitation.tenant_id, user_id=user.id, role=invitation.role
                    )
                )
            tenant = await session.get(Tenant, invitation.tenant_id)
            assert tenant is not None
            role = member.role if member is not None else invitation.role
            return user_info(user), TeamInfo(tenant.id, tenant.name, tenant.slug, role)
    except sa_exc.IntegrityError:
        raise Conflict("Someone accepted this invitation at the same time.") from None


__all__ = ["accept", "invite", "list_invitations"]
