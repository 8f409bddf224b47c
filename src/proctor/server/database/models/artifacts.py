"""Artifacts: markdown, links and tables that task runs publish (`proctor.artifacts`).

A child of its flow run (the foreign key cascades, and retention deletes them with their
runs); `task_run_id` is filled when the task run's row exists, `task_slug`/`map_index`
always, so an artifact sent in the same batch as its task run's first state is kept.
The id is made by the engine when the task publishes it, so an update or deletion sent
later (1.x `update_markdown_artifact(id, ...)`) names the same row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, TenantColumnMixin
from proctor.server.database.types import Timestamp, utcnow


class Artifact(TenantColumnMixin, Base):
    __tablename__ = "artifact"
    __table_args__ = (
        sa.Index(None, "flow_run_id", "created"),
        sa.Index(None, "tenant_id", "key", "created"),
        sa.Index(None, "tenant_id", "created"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), primary_key=True)
    flow_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="CASCADE"), nullable=False
    )
    task_run_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid())
    task_slug: Mapped[str | None] = mapped_column(sa.String(500))
    map_index: Mapped[int | None] = mapped_column()
    key: Mapped[str | None] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text())
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False, default=dict)
    created: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)
    updated: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["Artifact"]
