"""Teams (tenants) and their members, with the rules that keep a team governable:
nobody grants a role above their own, only owners make or unmake owners, and a team never
loses its last owner."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from proctor.server.auth.grants import HUMAN_ROLES, may_grant
from proctor.server.auth.records import MemberInfo, TeamInfo
from proctor.server.database import Database
from proctor.server.database.models import Membership, Tenant, User
from proctor.server.errors import Conflict, Forbidden, InvalidInput, NotFound
from proctor.server.services.plumbing.validation import as_uuid, name_arg


def human_role(role: object) -> str:
    if role not in HUMAN_ROLES:
        raise InvalidInput(f"Unknown role {role!r}: one of {', '.join(HUMAN_ROLES)}.")
    return str(role)


async def teams_of(db: Database, user_id: uuid.UUID) -> list[TeamInfo]:
    """Every team the user belongs to, by name, with their role in each."""
    async with db.session() as session:
        rows = await session.execute(
            sa.select(Tenant, Membership.role)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == user_id)
            .order_by(Tenant.name, Tenant.id)
        )
        return [TeamInfo(t.id, t.name, t.slug, role) for t, role in rows.all()]


async def get_team(db: Database, tenant_id: uuid.UUID, role: str) -> TeamInfo:
    async with db.session() as session:
        tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("No such team.")
    return TeamInfo(tenant.id, tenant.name, tenant.slug, role)


async def role_in(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    found: str | None = await session.scalar(
        sa.select(Membership.role).where(
            Membership.tenant_id == tenant_id, Membership.user_id == user_id
        )
    )
    return found


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "team"
    return f"{base}-{uuid.uuid4().hex[:6]}"


async def create_team(db: Database, user_id: uuid.UUID, name: str) -> TeamInfo:
    """A new team owned by the user who made it."""
    name = name_arg(name, "name")
    async with db.transaction() as session:
        tenant = Tenant(name=name, slug=_slug(name), settings={})
        session.add(tenant)
        await session.flush()
        session.add(Membership(tenant_id=tenant.id, user_id=user_id, role="owner"))
    return TeamInfo(tenant.id, tenant.name, tenant.slug, "owner")


async def list_members(db: Database, tenant_id: uuid.UUID) -> list[MemberInfo]:
    async with db.session() as session:
        rows = await session.execute(
            sa.select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.tenant_id == tenant_id)
            .order_by(User.email)
        )
        return [
            MemberInfo(user.id, user.email, user.name, member.role, member.created)
            for user, member in rows.all()
        ]


async def _membership(session: AsyncSession, tenant_id: uuid.UUID, user_id: object) -> Membership:
    member = await session.scalar(
        sa.select(Membership)
        .where(Membership.tenant_id == tenant_id, Membership.user_id == as_uuid(user_id, "userId"))
        .with_for_update()
    )
    if member is None:  # also for people of other teams: ids cannot be probed
        raise NotFound("No such member in this team.", details={"user_id": str(user_id)})
    return member


async def _owners(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """How many owners the team has, their rows locked (PostgreSQL) so that two
    concurrent demotions cannot both see "another owner is left"."""
    found = await session.scalars(
        sa.select(Membership.id)
        .where(Membership.tenant_id == tenant_id, Membership.role == "owner")
        .with_for_update()
    )
    return len(list(found))


def _may_manage(actor_role: str, target_role: str, new_role: str | None) -> None:
    if target_role == "owner" and actor_role != "owner":
        raise Forbidden("Only owners may change or remove an owner.")
    if new_role is not None and not may_grant(actor_role, new_role):
        raise Forbidden(f"Your role ({actor_role}) may not grant the role {new_role}.")


async def set_member_role(
    db: Database, tenant_id: uuid.UUID, actor_role: str, user_id: object, role: str
) -> MemberInfo:
    role = human_role(role)
    async with db.transaction() as session:
        member = await _membership(session, tenant_id, user_id)
        _may_manage(actor_role, member.role, role)
        if member.role == "owner" and role != "owner" and await _owners(session, tenant_id) <= 1:
            raise Conflict("A team needs an owner: make someone else owner first.")
        member.role = role
        await session.flush()
        user = await session.get(User, member.user_id)
        assert user is not None
        return MemberInfo(user.id, user.email, user.name, member.role, member.created)


async def remove_member(
    db: Database, tenant_id: uuid.UUID, actor_role: str, user_id: object
) -> bool:
    """Remove someone from the team (their sessions stay, their keys of it are revoked)."""
    from proctor.server.database.models import ApiKey

    async with db.transaction() as session:
        member = await _membership(session, tenant_id, user_id)
        _may_manage(actor_role, member.role, None)
        if member.role == "owner" and await _owners(session, tenant_id) <= 1:
            raise Conflict("A team needs an owner: make someone else owner first.")
        await session.delete(member)
        await session.execute(
            sa.update(ApiKey)
            .where(ApiKey.tenant_id == tenant_id, ApiKey.user_id == member.user_id)
            .values(revoked=True)
        )
    return True


__all__ = [
    "create_team",
    "get_team",
    "human_role",
    "list_members",
    "remove_member",
    "role_in",
    "set_member_role",
    "teams_of",
]
