"""Automations (trigger + actions) and their deliveries (the delivery log)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp


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


__all__ = ["Automation", "Notification"]
