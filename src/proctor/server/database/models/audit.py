"""The audit log: who did what, when, to which object, with which key."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin
from proctor.server.database.types import Timestamp, utcnow


class AuditEvent(IdMixin, TenantMixin, Base):
    """One mutation (or secret read): `actor_kind` is the principal's kind ("local",
    "session", "api_key"), `action` the GraphQL field, `object_type`/`object_id` what it
    touched, `success` whether it did, `details` a few ids and counts (never values)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index(None, "tenant_id", "occurred"),
        sa.Index(None, "tenant_id", "object_type", "object_id"),
        # Retention prunes every team's old events by time alone.
        sa.Index(None, "occurred"),
    )

    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    actor_api_key_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("api_key.id", ondelete="SET NULL")
    )
    actor_kind: Mapped[str | None] = mapped_column(sa.String(20))
    action: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    object_type: Mapped[str | None] = mapped_column(sa.String(50))
    object_id: Mapped[str | None] = mapped_column(sa.String(100))
    success: Mapped[bool] = mapped_column(
        sa.Boolean(), nullable=False, default=True, server_default=sa.true()
    )
    details: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    occurred: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["AuditEvent"]
