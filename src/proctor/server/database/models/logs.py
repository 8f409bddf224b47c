"""Log lines of flow runs and task runs (the highest-volume table: integer keys, no
foreign key to task_run, so a batch of logs never waits for task-run rows)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, TenantColumnMixin
from proctor.server.database.types import LogId, Timestamp, utcnow


class Log(TenantColumnMixin, Base):
    __tablename__ = "log"
    __table_args__ = (sa.Index(None, "flow_run_id", "timestamp", "id"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    flow_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="CASCADE"), nullable=False
    )
    task_slug: Mapped[str | None] = mapped_column(sa.String(500))
    map_index: Mapped[int | None] = mapped_column()
    timestamp: Mapped[datetime] = mapped_column(Timestamp(), nullable=False)
    level: Mapped[int] = mapped_column(nullable=False)
    message: Mapped[str] = mapped_column(sa.Text(), nullable=False)
    extra: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    created: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["Log"]
