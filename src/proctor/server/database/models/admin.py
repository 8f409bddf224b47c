"""Team administration tables: secrets, automations and their notifications,
concurrency limits and the audit log. Tables only for now; their services come later."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp, utcnow


class Secret(IdMixin, TenantMixin, TimestampsMixin, Base):
    """A team secret; `value_encrypted` holds ciphertext only (encryption: later issue)."""

    __tablename__ = "secret"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    value_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary(), nullable=False)
    key_id: Mapped[str | None] = mapped_column(sa.String(100))


class Automation(IdMixin, TenantMixin, TimestampsMixin, Base):
    """A trigger (e.g. "a run of flow X failed") and an action (e.g. a webhook)."""

    __tablename__ = "automation"
    __table_args__ = (sa.Index(None, "tenant_id", "enabled"),)

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    trigger: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    action: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    enabled: Mapped[bool] = mapped_column(nullable=False, default=True)


class Notification(IdMixin, TenantMixin, TimestampsMixin, Base):
    """One delivery of an automation's action, with its attempts (the delivery log)."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index(None, "status", "next_attempt_at"),)

    automation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("automation.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text())
    next_attempt_at: Mapped[datetime | None] = mapped_column(Timestamp())
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp())


class ConcurrencyLimit(IdMixin, TenantMixin, TimestampsMixin, Base):
    """At most `limit` flow runs per label (`kind="flow_label"`) or task runs per tag."""

    __tablename__ = "concurrency_limit"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind", "key"),)

    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    limit: Mapped[int] = mapped_column(nullable=False)


class AuditEvent(IdMixin, TenantMixin, Base):
    __tablename__ = "audit_event"
    __table_args__ = (sa.Index(None, "tenant_id", "occurred"),)

    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    actor_api_key_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("api_key.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    object_type: Mapped[str | None] = mapped_column(sa.String(50))
    object_id: Mapped[str | None] = mapped_column(sa.String(100))
    details: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    occurred: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["AuditEvent", "Automation", "ConcurrencyLimit", "Notification", "Secret"]
