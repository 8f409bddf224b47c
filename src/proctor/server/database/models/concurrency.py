"""Concurrency limits: flow runs per label, task runs per tag, and the slots in use.

A slot row says who holds one unit of a limit: a flow run (a `flow_label` limit, taken
when an agent claims the run) or one of its task runs (a `task_tag` limit, taken when the
run process asks before starting it). Slots are released in the same transaction as the
state change that ends the holding (see `proctor.server.services.concurrency_limits`), and go
with their limit, flow run or task run when those are deleted.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from proctor.server.database.models.base import Base, IdMixin, TenantMixin, TimestampsMixin
from proctor.server.database.types import Timestamp, utcnow


class ConcurrencyLimit(IdMixin, TenantMixin, TimestampsMixin, Base):
    """At most `limit` flow runs per label (`kind="flow_label"`) or task runs per tag."""

    __tablename__ = "concurrency_limit"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind", "key"),)

    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    limit: Mapped[int] = mapped_column(nullable=False)


class ConcurrencySlot(IdMixin, TenantMixin, Base):
    """One slot of `limit_id` in use by a flow run (`task_run_id` None) or a task run."""

    __tablename__ = "concurrency_slot"
    __table_args__ = (
        # A task run holds at most one slot per limit (also its lookup on release).
        sa.UniqueConstraint("task_run_id", "limit_id"),
        # Release of everything a flow run holds; usage per limit.
        sa.Index(None, "flow_run_id"),
        sa.Index(None, "limit_id"),
    )

    limit_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("concurrency_limit.id", ondelete="CASCADE"), nullable=False
    )
    flow_run_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid(), sa.ForeignKey("flow_run.id", ondelete="CASCADE"), nullable=False
    )
    task_run_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.Uuid(), sa.ForeignKey("task_run.id", ondelete="CASCADE")
    )
    acquired: Mapped[datetime] = mapped_column(Timestamp(), nullable=False, default=utcnow)


__all__ = ["ConcurrencyLimit", "ConcurrencySlot"]
