"""A team's own run-history retention policy (overrides the server's default)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base
from proctor.server.database.types import Timestamp, utcnow


class RetentionPolicy(Base):
    """One row per team that changed its policy. A NULL figure means "the server's
    default" (`PROCTOR_SERVER_RETENTION_*`), so a later change of the default reaches
    every team that did not set that figure itself."""

    __tablename__ = "retention_policy"
    __table_args__ = (
        sa.CheckConstraint("days IS NULL OR days > 0", name="days"),
        sa.CheckConstraint("log_max_bytes IS NULL OR log_max_bytes >= 0", name="log_max_bytes"),
        sa.CheckConstraint(
            "keep_newest_runs IS NULL OR keep_newest_runs >= 0", name="keep_newest_runs"
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[float | None] = mapped_column(sa.Float())
    log_max_bytes: Mapped[int | None] = mapped_column(sa.BigInteger())
    keep_newest_runs: Mapped[int | None] = mapped_column(sa.Integer())
    updated: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["RetentionPolicy"]
