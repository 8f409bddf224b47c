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


__all__ = ["AuditEvent"]
