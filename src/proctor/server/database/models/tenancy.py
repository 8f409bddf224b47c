"""Teams and the people and keys that act in them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp

ROLES = ("owner", "admin", "member", "read_only")


class Tenant(IdMixin, TimestampsMixin, Base):
    """A team: the unit of ownership and isolation of every other row."""

    __tablename__ = "tenant"

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)


class User(IdMixin, TimestampsMixin, Base):
    """A person (not team-owned: memberships link people to teams).

    The table is `user_account` because `user` is a reserved word in PostgreSQL.
    """

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(sa.String(320), nullable=False, unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(500))
    is_active: Mapped[bool] = mapped_column(nullable=False, default=True)


class Membership(IdMixin, TenantMixin, TimestampsMixin, Base):
    __tablename__ = "membership"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "user_id"),
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="member")


class ApiKey(IdMixin, TenantMixin, TimestampsMixin, Base):
    """An API key of a user or a service account; only its hash is stored."""

    __tablename__ = "api_key"

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    prefix: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(sa.String(500), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="member")
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp())
    last_used: Mapped[datetime | None] = mapped_column(Timestamp())
    revoked: Mapped[bool] = mapped_column(nullable=False, default=False)
    # A service account's key (agents, CI) belongs to no person: `user_id` is None.
    service_account: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=sa.false()
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The key that created this one (None: made in a browser session or by the CLI on
    # the database). A key never outlives its parent: it expires no later, and it stops
    # working when the parent is revoked or deleted.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )


class AuthSession(IdMixin, Base):
    """A logged-in browser. Only a hash of the cookie's token is stored, so a copy of
    the database does not let anyone log in; `tenant_id` is the team it works in now."""

    __tablename__ = "auth_session"

    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("tenant.id", ondelete="SET NULL")
    )
    created: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    expires: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, index=True)
    last_seen: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)


class Invitation(IdMixin, TenantMixin, TimestampsMixin, Base):
    """An invitation to join a team with a role; only a hash of its token is stored."""

    __tablename__ = "invitation"
    __table_args__ = (sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    email: Mapped[str] = mapped_column(sa.String(320), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    expires: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    accepted: Mapped[datetime | None] = mapped_column(Timestamp())
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class LoginThrottle(Base):
    """Failed logins per account or client address in the current window. Kept in the
    database so that every server replica counts the same attempts."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(400), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    failures: Mapped[int] = mapped_column(nullable=False, default=0)


__all__ = [
    "ROLES",
    "ApiKey",
    "AuthSession",
    "Invitation",
    "LoginThrottle",
    "Membership",
    "Tenant",
    "User",
]
