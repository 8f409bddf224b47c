"""A team's own run-history retention policy (overrides the server's default)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base
from proctor.server.database.types import Timestamp


class RetentionPolicy(Base):
    """One row per team that changed its policy (or whose logs retention has checked).
    A NULL figure means "the server's default" (`PROCTOR_SERVER_RETENTION_*`), so a later
    change of the default reaches every team that did not set that figure itself."""

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
    # When the team last set its figures (None: never; the row only holds the watermark).
    updated: Mapped[datetime | None] = mapped_column(Timestamp())
    # Log trimming's watermark: finished runs up to (state time, id) were checked, so a
    # pass (or a restarted server, or another replica) looks at each run's logs once.
    logs_checked_until: Mapped[datetime | None] = mapped_column(Timestamp())
    logs_checked_until_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())


__all__ = ["RetentionPolicy"]
